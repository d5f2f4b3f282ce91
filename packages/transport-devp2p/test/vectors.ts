// Vector access is shared by every codec package (@parley/test-support); `hex` here formats bytes.
export {
  caseById as vectorCase,
  field,
  loadVectors,
  toHex as hex,
  unhex,
  type VectorCase,
} from '@parley/test-support'
