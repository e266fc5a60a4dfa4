import type * as z from 'zod/mini';

/**
 * Where a protocol's type is declared elsewhere (the engine's events, the cost records), its
 * schema here is checked against it by the compiler, so the two cannot drift apart silently.
 */

/** The same type: each assignable to the other, and the same keys, optional ones included (a schema missing an optional field would strip it). */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? ([keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false) : false) : false;

/** `exactly<T>()(schema)`: the schema, which must parse to exactly T, or the type-check fails saying so. */
export function exactly<T>() {
  return <S extends z.ZodMiniType>(schema: S & (Same<z.output<S>, T> extends true ? unknown : 'this schema does not parse to exactly the declared type')): S => schema;
}
