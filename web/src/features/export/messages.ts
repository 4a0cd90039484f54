export const en = {
  title: 'Take everything out',
  intro:
    'Download your whole space as one archive: your data, its history, your files, your consents and the access ledger, in open formats another platform can read.',
  passphrase: 'Passphrase (optional, at least 12 characters) to encrypt the archive',
  download: 'Download the archive',
  working: 'Preparing the archive… {size}',
  done: 'Archive downloaded ({size}).',
  formats: 'Or one kind of data in a common format:',
  tooShort: 'A passphrase is at least 12 characters.',
};
export const fr: typeof en = {
  title: 'Tout emporter',
  intro:
    'Téléchargez tout votre espace en une archive : vos données, leur historique, vos fichiers, vos consentements et le journal des accès, dans des formats ouverts qu’une autre plateforme sait lire.',
  passphrase: 'Phrase secrète (facultative, 12 caractères au moins) pour chiffrer l’archive',
  download: 'Télécharger l’archive',
  working: 'Préparation de l’archive… {size}',
  done: 'Archive téléchargée ({size}).',
  formats: 'Ou un type de données dans un format courant :',
  tooShort: 'Une phrase secrète fait 12 caractères au moins.',
};
