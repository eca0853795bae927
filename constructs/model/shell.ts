/** A word for `sh`, always single-quoted (a crontab line: no word of a command may read as a cron field). */
export const quotedWord = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

/** A word for `sh` as a person would type it: plain when it is, quoted otherwise. */
export const shellWord = (word: string): string => (/^[\w@%+=:,./~-]+$/.test(word) ? word : quotedWord(word));
