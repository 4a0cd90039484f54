/** Fails with a plain error: an internal fault of the connector. */
export async function run(): Promise<void> {
  JSON.parse('{ not json');
}
