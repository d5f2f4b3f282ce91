/**
 * The secure-transport protobuf messages, parsed once from a schema string (field numbers from
 * status-go protocol/encryption/protocol_message.proto). Only `Bundle` is used so far; the
 * `ProtocolMessage` envelope is future work.
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
`

const root = protobuf.parse(SCHEMA, { keepCase: true }).root

export const BundleMessage = root.lookupType('Bundle')
