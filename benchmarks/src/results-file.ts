/** Reads a results document from disk, checked against the schema. */
import { readFile } from 'node:fs/promises'
import { InvalidParametersError } from '@parley/interfaces'
import { type ResultsDocument, validateResults } from './results.ts'

export async function readResults(file: string): Promise<ResultsDocument> {
  const value: unknown = JSON.parse(await readFile(file, 'utf8'))
  const errors = validateResults(value)
  if (errors.length > 0)
    throw new InvalidParametersError(`${file} is not a results document: ${errors.slice(0, 5).join('; ')}`)
  return value as ResultsDocument
}
