export const en = {
  title: 'My data',
  comingSoon: 'This screen is being built.',
};
export const fr: typeof en = {
  title: 'Mes données',
  comingSoon: 'Cet écran est en construction.',
};
