/**
 * The secure-transport protobuf messages, parsed once from a schema string. Field numbers are
 * status-go's protocol/encryption/protocol_message.proto. `HRHeader.group_id` is read as bytes (status-go
 * fills it from a byte slice; a string has the same wire form). `HRHeader.keys` (hash-ratchet key
 * distribution: keys and `rekey_group`) is kept as raw bytes: this package does not read it.
 */
import protobuf from 'protobufjs'

const SCHEMA = `
syntax = "proto3";
message SignedPreKey {
  bytes signed_pre_key = 1;
  uint32 version = 2;
  uint32 protocol_version = 3;
}
message Bundle {
  bytes identity = 1;
  map<string, SignedPreKey> signed_pre_keys = 2;
  bytes signature = 4;
  int64 timestamp = 5;
}
message DRHeader {
  bytes key = 1;
  uint32 n = 2;
  uint32 pn = 3;
  bytes id = 4;
}
message DHHeader {
  bytes key = 1;
}
message X3DHHeader {
  bytes key = 1;
  bytes id = 4;
}
message HRHeader {
  uint32 deprecated_key_id = 1;
  uint32 seq_no = 2;
  bytes group_id = 3;
  bytes key_id = 4;
  bytes keys = 5;
}
message EncryptedMessageProtocol {
  X3DHHeader X3DH_header = 1;
  DRHeader DR_header = 2;
  bytes payload = 3;
  DHHeader DH_header = 101;
  HRHeader HR_header = 102;
}
message ProtocolMessage {
  string installation_id = 2;
  repeated Bundle bundles = 3;
  map<string, EncryptedMessageProtocol> encrypted_message = 101;
  bytes public_message = 102;
}
`

const root = protobuf.parse(SCHEMA, { keepCase: true }).root

export const BundleMessage = root.lookupType('Bundle')
export const ProtocolMessageType = root.lookupType('ProtocolMessage')
