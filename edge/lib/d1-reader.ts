/** What a read needs of D1: a database or a session of it (decide reads from the nearest replica). */
export type D1Reader = Pick<D1Database, 'prepare' | 'batch'>;
