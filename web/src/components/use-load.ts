/**
 * Loads data for a screen: `{ loading, data, error, reload }`. A reload keeps the data already shown
 * until the new answer arrives; an answer that comes back after a newer request started is dropped.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  loading: boolean;
  data: T | undefined;
  error: unknown;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ loading: boolean; data: T | undefined; error: unknown }>({
    loading: true,
    data: undefined,
    error: undefined,
  });
  const generation = useRef(0);
  const run = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => mine === generation.current && setState({ loading: false, data, error: undefined }),
      (error: unknown) => mine === generation.current && setState((s) => ({ ...s, loading: false, error })),
    );
  }, deps);
  useEffect(run, [run]);
  return { ...state, reload: run };
}
