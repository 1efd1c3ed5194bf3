/**
 * Records in the rule set are plain objects; a key that comes from a claim or a
 * rule file ("__proto__", "constructor") must never reach Object.prototype.
 * Every lookup by such a key goes through `own`.
 */
export function own<T>(record: { readonly [key: string]: T }, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A value for a message: strings quoted and shortened, anything else by kind.
 * Safe on cyclic or huge values (never JSON.stringify's them). */
/** show, in Chinese: the value itself, or what kind of thing it is (未填写 for nothing). */
export function showZh(v: unknown): string {
  if (v === undefined) return "未填写";
  if (Array.isArray(v)) return "列表";
  return v !== null && typeof v === "object" ? "映射" : show(v);
}

export function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (v === null) return "null";
  if (v === undefined) return "nothing";
  if (Array.isArray(v)) return "a list";
  return typeof v === "object" ? "a mapping" : typeof v;
}
