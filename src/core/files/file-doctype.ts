/** File metadata lives in documents of this internal doctype, governed by the gate like any data. */
export const FILE_DOCTYPE = 'foyer.file';
