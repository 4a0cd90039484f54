export const en = {
  title: 'Log in to Foyer',
  passphrase: 'Passphrase',
  login: 'Log in',
  loggingIn: 'Logging in…',
  forgot: 'The passphrase you chose when this space was created.',
};
export const fr: typeof en = {
  title: 'Connexion à Foyer',
  passphrase: 'Phrase de passe',
  login: 'Se connecter',
  loggingIn: 'Connexion…',
  forgot: 'La phrase de passe choisie à la création de cet espace.',
};
