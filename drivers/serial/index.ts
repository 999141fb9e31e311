/** The serial-line protocol framework: see README.md. */
export type { FrameReject, FrameSpec } from './frame-spec.js';
export { FRAMING_FAULT_KINDS, type FramerCounters, type FramingFault, type FramingFaultKind } from './framing-faults.js';
export { DEFAULT_PARTIAL_TIMEOUT_MS, Framer, type FramerEvents, type FramerOptions, type FramerTimers } from './framer.js';
export type { ByteTransport } from './byte-transport.js';
export { duplexTransport } from './duplex-transport.js';
export { MemoryTransport, memoryTransportPair } from './memory-transport.js';
export { connectTcpTransport, describeSerialLine, openSerialTransport, type SerialLineOptions, type TcpEndpointOptions } from './open-transport.js';
export { StreamLink, outgoingFault, type StreamLinkCounters, type StreamLinkEvents, type StreamLinkOptions } from './stream-link.js';
export { gb26875FrameSpec, gb26875Checksum, GB26875_MAX_FRAME_BYTES, GB26875_MAX_ADU_BYTES } from './specs/gb26875.js';
