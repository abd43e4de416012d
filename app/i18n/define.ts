/** The same tree of keys with a string at every leaf: English must translate every Chinese key. */
export type Translation<T> = { [K in keyof T]: T[K] extends string ? string : Translation<T[K]> };

/** A feature's messages, Chinese first; the English half is type-checked to have every key. */
export function defineMessages<const T extends object>(zh: T, en: Translation<T>) {
  return { "zh-CN": zh, en } as const;
}
