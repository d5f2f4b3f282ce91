/**
 * `pnpm bench:web`: builds the browser runner into benchmarks/web/dist, a static page that runs the
 * portable cases (src/cases/portable.ts) in a Web Worker. Workspace packages resolve to their
 * TypeScript sources, as in the tests, so no prior `tsc -b` is needed.
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'

const packagesDir = fileURLToPath(new URL('../../packages/', import.meta.url))

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

/**
 * WebAssembly ESM integration (`import * as wasm from './x.wasm'`, as tiny-secp256k1's browser
 * build does), which Vite does not do itself: the module is inlined, instantiated with its imports
 * at module evaluation, and its exports re-exported. Without WebAssembly (the no-WASM pass) the
 * import rejects, and the provider that needed it reports itself unavailable.
 */
function wasmEsmIntegration(): Plugin {
  return {
    name: 'parley-wasm-esm-integration',
    enforce: 'pre',
    async load(id) {
      if (!id.endsWith('.wasm')) return null
      const bytes = await readFile(id)
      const module = new WebAssembly.Module(bytes)
      const imports = [...new Set(WebAssembly.Module.imports(module).map((entry) => entry.module))]
      const exports = WebAssembly.Module.exports(module).map((entry) => entry.name)
      const bad = exports.filter((name) => !IDENTIFIER.test(name))
      if (bad.length > 0) this.error(`${id}: exports that are not identifiers: ${bad.join(', ')}`)
      return [
        ...imports.map((specifier, i) => `import * as import${i} from ${JSON.stringify(specifier)}`),
        `const bytes = Uint8Array.from(atob(${JSON.stringify(bytes.toString('base64'))}), (c) => c.charCodeAt(0))`,
        `const { instance } = await WebAssembly.instantiate(bytes, {${imports
          .map((specifier, i) => `${JSON.stringify(specifier)}: import${i}`)
          .join(', ')}})`,
        ...exports.map((name) => `export const ${name} = instance.exports.${name}`),
      ].join('\n')
    },
  }
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: {
    alias: [{ find: /^@parley\/([a-z0-9-]+)$/, replacement: `${packagesDir}$1/src/index.ts` }],
  },
  plugins: [wasmEsmIntegration()],
  worker: { format: 'es', plugins: () => [wasmEsmIntegration()] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // top-level await: the inlined WebAssembly instantiates while its module evaluates
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
  },
})
