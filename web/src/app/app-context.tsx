/**
 * What every screen may use besides the router and the locale: the API client and the session
 * (whether the space has a passphrase, whether we are logged in, and how to change that).
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from '../api/client.js';

export interface AuthStatus {
  initialised: boolean;
  authenticated: boolean;
}

export interface AppState {
  api: Api;
  auth: AuthStatus;
  /** Reads the status again (after logging in, out, or a 401). */
  refreshAuth: () => Promise<void>;
  logout: () => Promise<void>;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside <App>');
  return state;
}

export const useApi = (): Api => useApp().api;
