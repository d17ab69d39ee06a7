// What a headers object held when something was derived from it (its HPACK encoding, its
// validation). Campaigns share one headers object across every token, so both are cached per
// object; a caller that changes the object afterwards must get fresh work, not stale bytes.
// Comparing a handful of fields costs far less than encoding or validating them again.

export type Fields = Readonly<Record<string, unknown>>;

export class FieldsSnapshot {
  readonly #names: string[] = [];
  readonly #values: unknown[] = [];

  constructor(fields: Fields) {
    for (const name in fields) {
      this.#names.push(name);
      this.#values.push(fields[name]);
    }
  }

  /** Whether `fields` still has exactly these names with these values, in this order. */
  matches(fields: Fields): boolean {
    const names = this.#names;
    let i = 0;
    for (const name in fields) {
      if (names[i] !== name || this.#values[i] !== fields[name]) return false;
      i++;
    }

    return i === names.length;
  }
}
