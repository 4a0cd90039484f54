/**
 * Group commit per space: while a space's group is in flight, the calls arriving for that space
 * wait; when it ends they go together as the next group (up to `maxSize`, counted by `sizeOf`;
 * a group always takes at least one call). An idle space's call leaves at once; a busy one's
 * calls share a commit (its fsync) and a round trip. Used by document writes and ledger appends.
 */
export function groupCommitPerSpace<Call>(options: {
  maxSize: number;
  sizeOf(call: Call): number;
  /** Commits one group; settles each call itself and never rejects. */
  commit(space: string, calls: Call[]): Promise<void>;
}): (space: string, call: Call) => void {
  const { maxSize, sizeOf, commit } = options;
  /** Per space with a group in flight: the calls waiting for it to end. */
  const waiting = new Map<string, Call[]>();

  async function drain(space: string, queue: Call[], first: Call): Promise<void> {
    let group = [first];
    while (group.length > 0) {
      await commit(space, group);
      let size = 0;
      let take = 0;
      while (take < queue.length && (take === 0 || size + sizeOf(queue[take]!) <= maxSize)) {
        size += sizeOf(queue[take]!);
        take++;
      }
      group = queue.splice(0, take);
    }
    waiting.delete(space);
  }

  return function enqueue(space: string, call: Call): void {
    const queue = waiting.get(space);
    if (queue) {
      queue.push(call);
      return;
    }
    const fresh: Call[] = [];
    waiting.set(space, fresh);
    void drain(space, fresh, call);
  };
}
