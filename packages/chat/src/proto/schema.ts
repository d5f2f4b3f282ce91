/**
 * The Status application-layer protobuf messages, parsed once from a schema string. Field numbers
 * and enum values follow status-go protocol/protobuf/{application_metadata_message,chat_message,
 * enums,segment_message}.proto. Only the fields this package reads or writes are declared; protobufjs
 * skips undeclared fields when decoding (so a decode → encode round trip drops them).
 *
 * The 62/STATUS-PAYLOADS spec still shows `StatusProtocolMessage{signature = 4001, payload = 4002}`;
 * deployed status-go uses ApplicationMetadataMessage with fields 1–3, which is what we speak.
 */
import protobuf from 'protobufjs'

const SCHEMA = `
syntax = "proto3";

message ApplicationMetadataMessage {
  bytes signature = 1;
  bytes payload = 2;
  int32 type = 3;
}

message StickerMessage {
  string hash = 1;
  int32 pack = 2;
}

message ImageMessage {
  bytes payload = 1;
  int32 type = 2;
  string album_id = 3;
  uint32 width = 4;
  uint32 height = 5;
  uint32 album_images_count = 6;
}

message AudioMessage {
  bytes payload = 1;
  int32 type = 2;
  uint64 duration_ms = 3;
}

message ChatMessage {
  uint64 clock = 1;
  uint64 timestamp = 2;
  string text = 3;
  string response_to = 4;
  string ens_name = 5;
  string chat_id = 6;
  int32 message_type = 7;
  int32 content_type = 8;
  oneof payload {
    StickerMessage sticker = 9;
    ImageMessage image = 10;
    AudioMessage audio = 11;
    bytes community = 12;
  }
  bytes grant = 13;
  string display_name = 14;
}

message SegmentMessage {
  bytes entire_message_hash = 1;
  uint32 index = 2;
  uint32 segments_count = 3;
  bytes payload = 4;
  uint32 parity_segment_index = 5;
  uint32 parity_segments_count = 6;
}

// push_notifications.proto. The two sub-messages (PushNotificationQueryInfo, ChatIdentity) stay
// opaque bytes here: an embedded message and a bytes field share the wire form.
message ContactCodeAdvertisement {
  repeated bytes push_notification_info = 1;
  bytes chat_identity = 2;
}
`

// Enums are declared as int32 on purpose: an enum and an int32 share the wire encoding, and
// protobufjs would otherwise turn unknown values into strings on `toObject`. The values live in
// `enums.ts`.
const root = protobuf.parse(SCHEMA, { keepCase: true }).root

export const ApplicationMetadataMessageType = root.lookupType('ApplicationMetadataMessage')
export const ChatMessageType = root.lookupType('ChatMessage')
export const SegmentMessageType = root.lookupType('SegmentMessage')
export const ContactCodeAdvertisementType = root.lookupType('ContactCodeAdvertisement')
