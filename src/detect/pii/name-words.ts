/**
 * Capitalized words that start or continue organisation, place and calendar names. After a given
 * name they mean "not a surname" (`Jordan Street`, `Austin College`); before one they are a sentence
 * starter (`The`, `When`).
 */
export const NOT_NAME_WORDS: ReadonlySet<string> = new Set(
  `
The This That These Those There Then When Where What Which Who Why How And But Or If So As At By For From
In Into On Onto Of To With Without Our Your Their His Her Its My We You They He She It Not No Yes All Any
Some Each Every Please Thanks Thank Hello Hi Dear Also Just Only After Before During Since Until While
Street Avenue Road Boulevard Lane Drive Court Place Square Terrace Parkway Highway Way Plaza Circle Alley
Bank Hospital University College School Academy Institute Center Centre Foundation Group Company Corporation
Inc Ltd Llc Corp Co Gmbh Ag Sa Department Ministry Agency Office Council Committee Association Society
Church Airport Station Park Lake River Mountain Beach Bay Island City County State Province Republic Kingdom
Hotel Restaurant Cafe Museum Library Hall Tower Bridge Market Mall Store Shop Club Team Studio Labs Lab
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
September October November December Christmas Easter English French German Spanish Italian Chinese Japanese
Street St Ave Rd Blvd Ln Dr Ct Pl North South East West Central Upper Lower New Old Great Saint Mount
Airlines Airways Falls Valley Hills Heights Springs Harbor Harbour Port Point Creek Canyon Forest Gardens
National International Holdings Partners Capital Ventures Systems Solutions Technologies Networks Media
Health Energy Motors Pharma Insurance Financial Securities Trust Fund Press Times Post News Journal Review
Records Fashion Foods Airlines Express Airport Arena Stadium Theatre Theater Gallery Cathedral Castle Palace
Mr Mrs Ms Mx Miss Dr Prof Professor Sir Dame Herr Frau Mme Mlle Monsieur Madame Officer Detective Judge Captain Sgt Agent
Server Cloud Studio Code Python Java Script Linux Windows Android Apple Google Microsoft Amazon Meta
`
    .split(/\s+/)
    .filter((word) => word.length > 0),
);
