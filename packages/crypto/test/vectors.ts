// Vector access is shared by every codec package; `field` is this package's name for `str`.
export {
  type CompleteVectorCase as VectorCase,
  loadCompleteVectors as loadVectors,
  str as field,
} from '@parley/test-support'
