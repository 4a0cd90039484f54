/**
 * The tutorial app's page: waits for the host to hand over its grant's token (`foyerApp()`), then
 * lists the large debits its service flagged.
 */
import { foyerApp } from '@foyer/sdk';

interface Alert {
  transactionId: string;
  date: string;
  label: string;
  amount: number;
}

async function main(): Promise<void> {
  const { client } = await foyerApp();
  const alerts = await client.documents<Alert>('app.big-spends.alert').all({ sort: [{ date: 'desc' }] });
  const list = document.getElementById('alerts')!;
  for (const alert of alerts) {
    const item = document.createElement('li');
    item.textContent = `${alert.date.slice(0, 10)} · ${alert.label} · ${alert.amount.toFixed(2)}`;
    list.append(item);
  }
  document.getElementById('status')!.textContent = `${alerts.length} large debits`;
}

main().catch((e: unknown) => {
  document.getElementById('status')!.textContent = `Error: ${(e as Error).message}`;
});
