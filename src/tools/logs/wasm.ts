/**
 * The part of the WebAssembly API the kernels use. Node has it as a global, but its types come
 * with the DOM library, which the engine does not load (it must not use browser APIs).
 */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: { env: { memory: object } }) => { exports: unknown };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}

export interface CompiledKernels {
  api: WasmApi;
  module: object;
}

const compiled = new Map<string, CompiledKernels | null>();

/**
 * A kernel module embedded as base64 (see scripts/assemble-wasm.ts), compiled once; null where
 * this runtime has no WebAssembly (node --jitless) or refuses it: the caller then takes its
 * TypeScript path.
 */
export function compileKernels(base64: string): CompiledKernels | null {
  let kernels = compiled.get(base64);
  if (kernels === undefined) {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    try {
      kernels = api ? { api, module: new api.Module(Buffer.from(base64, 'base64')) } : null;
    } catch {
      kernels = null;
    }
    compiled.set(base64, kernels);
  }
  return kernels;
}
