import { documentStoreContract } from '../document-store.contract.js';
import { makeTestPostgresStore } from '../../testing/postgres.js';

documentStoreContract('postgres', () => makeTestPostgresStore());
