/** See ignore-list.mjs: the source map with every source on its ignore list. */
export function withIgnoreList(mapText: string): string;
