import type { Compilable, CompiledQuery } from 'kysely';

/** Stands for an argument while a query is built, so that its place among the parameters is known. */
class Slot {
  constructor(readonly key: number | string) {}
}

/**
 * A query built and compiled once, then bound to new values at each call. Building and
 * compiling a Kysely query costs several microseconds, more than SQLite takes to answer the
 * store's hot reads (a topic read is answered after one indexed version lookup), so every
 * statement of the store is compiled when the store opens.
 *
 * `build` may only pass its arguments on as values (`where('id', '=', id)`, `values({ id })`):
 * it runs once, with stand-ins, and every argument must come out as a parameter of the
 * compiled query, which is checked here. A list is one value (see QueryDialect.anyOf).
 */
export function prepare<Args extends unknown[], Row>(
  build: (...args: Args) => Compilable<Row>,
): (...args: Args) => CompiledQuery<Row> {
  const slots = Array.from({ length: build.length }, (_, k) => new Slot(k));
  return bindable(build(...(slots as Args)), slots, (args: Args, key) => args[key as number]);
}

/** prepare() for a statement of many values: they come as the properties of one argument. */
export function prepareNamed<Values extends object, Row>(
  build: (values: Values) => Compilable<Row>,
): (values: Values) => CompiledQuery<Row> {
  const slots: Slot[] = [];
  const standIn = new Proxy({} as Values, {
    get: (_, key) => {
      const slot = new Slot(String(key));
      slots.push(slot);
      return slot;
    },
  });
  const bind = bindable(
    build(standIn),
    slots,
    ([values]: [Values], key) => (values as Record<string, unknown>)[key],
  );
  return (values) => bind(values);
}

function bindable<Args extends unknown[], Row>(
  query: Compilable<Row>,
  slots: readonly Slot[],
  take: (args: Args, key: number | string) => unknown,
): (...args: Args) => CompiledQuery<Row> {
  const compiled = query.compile();
  const { sql, query: node, queryId, parameters: fixed } = compiled;
  /** Where each argument goes: positions in the parameters, and the argument's key. */
  const places = fixed.flatMap((value, position) =>
    value instanceof Slot ? [{ position, key: value.key }] : [],
  );
  for (const slot of slots) {
    if (!places.some((place) => place.key === slot.key)) {
      throw new TypeError(`Argument ${slot.key} of a prepared query is not one of its parameters: ${sql}`);
    }
  }
  return (...args) => {
    const parameters = fixed.slice();
    for (const { position, key } of places) parameters[position] = take(args, key);
    return { sql, query: node, queryId, parameters };
  };
}

/**
 * prepare() for a statement of many rows (a multi-row INSERT): `build` is given `count` rows
 * whose fields are stand-ins, and the rows' values are bound in the order of `columns`. One
 * statement per count is compiled, when that count is first used; callers keep counts few.
 */
export function prepareRows<Row extends object, Result>(
  columns: readonly (keyof Row & string)[],
  build: (rows: Row[]) => Compilable<Result>,
): (rows: readonly Row[]) => CompiledQuery<Result> {
  const byCount = new Map<number, (values: unknown[]) => CompiledQuery<Result>>();
  return (rows) => {
    const count = rows.length;
    let bind = byCount.get(count);
    if (bind === undefined) {
      // Row k's column c is value k × columns + c of the flat list bound below.
      const slots = Array.from({ length: count * columns.length }, (_, n) => new Slot(n));
      const standIns = Array.from(
        { length: count },
        (_, k) =>
          Object.fromEntries(columns.map((column, c) => [column, slots[k * columns.length + c]])) as Row,
      );
      bind = bindable(build(standIns), slots, ([values]: [unknown[]], key) => values[key as number]);
      byCount.set(count, bind);
    }
    const values: unknown[] = [];
    for (const row of rows) for (const column of columns) values.push(row[column]);
    return bind(values);
  };
}
