export const en = {
  title: 'Welcome to Foyer',
  intro:
    'Foyer keeps the data organisations hold about you in a space of your own. First, choose the passphrase that protects it.',
  setupCode: 'Setup code',
  setupCodeHelp:
    'Printed where Foyer was started (the link it printed fills it in). You can also run "npx foyer init" there.',
  passphrase: 'Passphrase',
  passphraseHelp: 'At least 12 characters. A few unrelated words are easy to remember and hard to guess.',
  confirm: 'Passphrase again',
  mismatch: 'The two passphrases differ.',
  tooShort: 'The passphrase needs at least 12 characters.',
  create: 'Create my space',
  creating: 'Creating…',
};
export const fr: typeof en = {
  title: 'Bienvenue dans Foyer',
  intro:
    'Foyer garde les données que les organismes détiennent sur vous dans un espace à vous. Choisissez d’abord la phrase de passe qui le protège.',
  setupCode: 'Code d’installation',
  setupCodeHelp:
    'Affiché là où Foyer a été lancé (le lien affiché le remplit pour vous). Vous pouvez aussi lancer « npx foyer init » à cet endroit.',
  passphrase: 'Phrase de passe',
  passphraseHelp: 'Au moins 12 caractères. Quelques mots sans rapport sont faciles à retenir et difficiles à deviner.',
  confirm: 'Phrase de passe, encore',
  mismatch: 'Les deux phrases de passe diffèrent.',
  tooShort: 'La phrase de passe doit compter au moins 12 caractères.',
  create: 'Créer mon espace',
  creating: 'Création…',
};
