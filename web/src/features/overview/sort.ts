// The table's sort: a header toggles ascending, then descending.
import type { Sort } from './queries';

export type SortKey = 'name' | 'startedAt' | 'lastActiveAt' | 'unreadFlags';

const descending = (key: SortKey): `-${SortKey}` => `-${key}`;

/** The sort after pressing `key`'s header: ascending first, descending on the second press. */
export const nextSort = (current: Sort, key: SortKey): Sort => (current === key ? descending(key) : key);

/** The header's state: aria-sort's value, or undefined when the table is not sorted by it. */
export const sortState = (current: Sort, key: SortKey): 'ascending' | 'descending' | undefined =>
  current === key ? 'ascending' : current === descending(key) ? 'descending' : undefined;
