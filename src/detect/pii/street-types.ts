/**
 * Street-type words by language, as regular-expression alternations (longest first so `Street` wins over
 * `St`). English types follow the number and name; most continental types precede the name.
 */
export const ENGLISH_STREET_TYPES =
  'Street|St\\.?|Avenue|Ave\\.?|Road|Rd\\.?|Boulevard|Blvd\\.?|Lane|Ln\\.?|Drive|Dr\\.?|Court|Ct\\.?|Way|Place|Pl\\.?|Terrace|Parkway|Pkwy\\.?|Highway|Hwy\\.?|Circle|Cir\\.?|Square|Sq\\.?|Crescent|Close|Gardens|Grove|Row|Mews|Walk|Trail|Alley';

/** German compound suffixes (`Hauptstraße`, `Lindenweg`) and separate words (`Berliner Straße`). */
export const GERMAN_STREET_SUFFIXES = 'straße|strasse|str\\.|weg|gasse|platz|allee|damm|chaussee';

/** Types that precede the name (French, Spanish, Italian, Portuguese), lowercase regular-expression source. */
export const ROMANCE_STREET_TYPE_WORDS: readonly string[] = [
  'rue',
  'avenue',
  'boulevard',
  'bd',
  'place',
  'chemin',
  'allée',
  'impasse',
  'quai',
  'route',
  'calle',
  'c/',
  'avenida',
  'avda\\.',
  'plaza',
  'paseo',
  'camino',
  'carrer',
  'via',
  'viale',
  'piazza',
  'corso',
  'largo',
  'vicolo',
  'rua',
  'travessa',
  'praça',
];

/** `ROMANCE_STREET_TYPE_WORDS` as an alternation, each in lowercase and capitalized. */
export const ROMANCE_STREET_TYPES = ROMANCE_STREET_TYPE_WORDS.map(
  (type) => `[${type[0]!}${type[0]!.toUpperCase()}]${type.slice(1)}`,
).join('|');
