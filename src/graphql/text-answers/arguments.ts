// A field's arguments as graphql-jit and the Pothos validation plugin would take them: coerced by
// graphql-js, then every Standard Schema rule attached to the argument, its input type and fields.
// A value that fails is Refused: graphql-jit answers the request with the error it always gave.
import { getArgumentValues, isInputObjectType, isListType, isNonNullType, type GraphQLInputType } from 'graphql';
import type { Args, Scope } from './plans.ts';
import { Refused, Unsupported, type Selected } from './selection.ts';

/** The field's arguments coerced as graphql-js does, then checked by the validation plugin's rules. */
export function argumentsOf(f: Selected, scope: Scope): Args {
  // A rule on the whole argument set lives in the resolver wrapper, out of reach: not modelled.
  if ((f.def.extensions as { pothosOptions?: { validate?: unknown } }).pothosOptions?.validate) throw new Unsupported('field-level validation');
  let args: Args;
  try {
    args = getArgumentValues(f.def, f.node, scope.variables);
  } catch {
    throw new Refused(`arguments of ${f.name}`);
  }
  for (const arg of f.def.args) {
    if (args[arg.name] == null) continue;
    if (!passes(arg.extensions, args[arg.name]) || !inputPasses(arg.type, args[arg.name])) throw new Refused(`argument ${arg.name}`);
  }
  return args;
}

type WithRules = { '@pothos/plugin-validation'?: { schemas?: { '~standard': { validate: (v: unknown) => unknown } }[] } } | null | undefined;

/** Every Standard Schema rule Pothos attached here accepts the value, synchronously. */
function passes(extensions: unknown, value: unknown): boolean {
  for (const rule of (extensions as WithRules)?.['@pothos/plugin-validation']?.schemas ?? []) {
    const result = rule['~standard'].validate(value) as { issues?: unknown } | Promise<unknown>;
    if (result instanceof Promise || result.issues) return false;
  }
  return true;
}

/** The rules of an input object's type and fields, through lists, accept the value. */
function inputPasses(type: GraphQLInputType, value: unknown): boolean {
  if (value == null) return true;
  if (isNonNullType(type)) return inputPasses(type.ofType, value);
  if (isListType(type)) return (value as unknown[]).every((item) => inputPasses(type.ofType, item));
  if (!isInputObjectType(type)) return true;
  if (!passes(type.extensions, value)) return false;
  const object = value as Args;
  return Object.values(type.getFields()).every((field) => object[field.name] == null || (passes(field.extensions, object[field.name]) && inputPasses(field.type, object[field.name])));
}
