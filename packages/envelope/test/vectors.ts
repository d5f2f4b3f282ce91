// Vector access is shared by every codec package (@parley/test-vectors).
export { caseById, loadVectors as loadCases, num, str, type VectorCase } from '@parley/test-vectors'
