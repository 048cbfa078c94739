// Common English given-name variants: each group maps to its first (formal) name.
// Deliberately small and conservative: a wrong equivalence would merge people.
const GROUPS = [
  "abigail abby abbie gail",
  "alexander alex alec sandy xander",
  "alexandra alex alexa sandra sandy lexi",
  "alfred alf alfie fred",
  "andrew andy drew",
  "anthony tony",
  "antonio tony toni",
  "barbara barb babs",
  "benjamin ben benny benji",
  "catherine kate katie cathy cat kathy katherine kathryn caitlin",
  "charles charlie chuck chas",
  "christina chris tina christine chrissy kristina kristine",
  "christopher chris kit topher",
  "daniel dan danny",
  "david dave davy",
  "deborah debbie deb debra",
  "dorothy dot dottie",
  "edward ed eddie ted ned",
  "elizabeth liz lizzie beth betty eliza libby lisa elisabeth bess",
  "eleanor ellie nora elinor",
  "emily em emmy",
  "frances fran frankie",
  "francis frank",
  "frederick fred freddie",
  "gabriel gabe",
  "gerald gerry jerry",
  "gregory greg",
  "harold hal harry",
  "henry hank harry",
  "isabella bella izzy isabel isabelle",
  "jacob jake",
  "james jim jimmy jamie",
  "jennifer jen jenny",
  "jessica jess jessie",
  "john jack johnny jon",
  "jonathan jon jonny",
  "joseph joe joey",
  "josephine jo josie",
  "joshua josh",
  "judith judy",
  "katherine kate kathy katie",
  "kenneth ken kenny",
  "lawrence larry laurie laurence",
  "leonard leo len lenny",
  "margaret maggie meg peggy marge margie greta",
  "matthew matt matty",
  "michael mike mick mickey mikey",
  "nathaniel nate nat nathan",
  "nicholas nick nicky",
  "patricia pat patty trish tricia",
  "patrick pat paddy",
  "peter pete",
  "philip phil phillip",
  "rebecca becky becca",
  "richard rick ricky dick rich richie",
  "robert rob bob bobby robbie bert",
  "ronald ron ronnie",
  "samantha sam sammy",
  "samuel sam sammy",
  "stephen steve stevie steven",
  "susan sue susie suzanne",
  "theodore ted teddy theo",
  "thomas tom tommy",
  "timothy tim timmy",
  "victoria vicky tori",
  "vincent vince vinny",
  "walter walt wally",
  "william will bill billy willy liam",
  "zachary zach zack",
];

const CANON = new Map<string, string>();
const GROUP_OF = new Map<string, number[]>();
GROUPS.forEach((g, gi) => {
  const names = g.split(" ");
  for (const n of names) {
    if (!CANON.has(n)) CANON.set(n, names[0]);
    const list = GROUP_OF.get(n);
    if (list) list.push(gi);
    else GROUP_OF.set(n, [gi]);
  }
});

/** The formal form of a lowercase given name ("bob" → "robert"); the name itself when unknown. */
export function canonicalFirstName(name: string): string {
  return CANON.get(name) ?? name;
}

/** Whether two lowercase given names are variants of one another (bob/robert, chris/christopher). */
export function sameGivenName(a: string, b: string): boolean {
  if (a === b) return true;
  const ga = GROUP_OF.get(a);
  if (!ga) return false;
  const gb = GROUP_OF.get(b);
  if (!gb) return false;
  for (const x of ga) if (gb.includes(x)) return true;
  return false;
}
