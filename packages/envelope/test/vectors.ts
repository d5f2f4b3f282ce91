// Vector access is shared by every codec package (@parley/test-support).
export { caseById, loadVectors as loadCases, num, str, type VectorCase } from '@parley/test-support'
