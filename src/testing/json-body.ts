/** A response's JSON body, loosely typed: tests check its shape with `expect`, not with types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- deliberately loose, see above
export type JsonBody = Record<string, any>;

export const jsonBody = async (res: Response): Promise<JsonBody> => (await res.json()) as JsonBody;
