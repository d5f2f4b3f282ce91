#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `tsc -b`, which `pnpm install` runs).
import { main } from '../dist/main.js'

process.exitCode = await main(process.argv.slice(2))
