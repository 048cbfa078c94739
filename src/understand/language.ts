import { hashString, TOKEN_HASHTAG, TOKEN_WORD, type TokenBuffer } from "./tokenizer";

// Language identification for short posts, in two cheap steps over the tokens
// the analyzer already has: the writing system decides non-Latin languages;
// for Latin text, hits in per-language lists of very common function words
// decide, with `und` when the evidence is thin or split. @handles, #tags, URLs
// and emoji never count, so "@acme 👍 https://…" is `und`, not English.
// Why not a package: the npm language identifiers we looked at (franc-min,
// tinyld, eld) are trigram models that cost tens of microseconds per post and
// guess on two-word posts; this keeps language id well under a microsecond and
// says `und` instead of guessing.

const STOPWORDS: Record<string, string> = {
  en:
    "the and is are was were to of in it this that you your my i me we our for with on have has not but be at so just can do does did what how why when will would could please thanks get got no any been from they there an if or about " +
    // Frequent words of posts to brands, for short posts with few function words.
    "new now today week weekend day days morning night tonight time every again up out all one more good great love like need want know see going still only after back last first next really never off over than then too very who which where free buy service customer support order orders app check price best worst working home let us done had her his she he them its their these those should some same other thing people everything nothing someone fast slow cheap delivery shipping refund account phone money call help thank think way year years minutes hours",
  es: "sin desde día cuánto todo nada bien mal otra vez el la los las de del que y en un una es por para con no su sus se lo me mi muy pero como más esta este está son hay tengo gracias ya qué cuando donde porque también nos le al ha sido hola estoy",
  fr: "le la les de des du et est un une en que qui pas pour dans sur avec ce cette je tu il nous vous mon ma mes mais ou très merci bonjour ne au aux sont suis ai été plus votre vos",
  de: "der die das und ist nicht ich du sie wir ein eine einen mit auf für von zu den dem im es auch aber sehr noch wie was kann danke bitte mein meine ihr hat habe sind war oder schon",
  pt: "o a os as de do da dos das e é um uma em no na que não para com por se mais muito meu minha seu sua mas como está obrigado obrigada isso esse essa foi são tem pelo pela você",
  it: "per quanto avete tutto sempre ancora ogni bene male il lo la gli le di del della e è un una che non per con su mi ma come più molto sono questo questa ho hai ha anche grazie ciao perché cosa nel al alla",
  nl: "de het een en is niet ik je van dat die in op te met voor zijn maar ook er wat nog wel al bij mijn ons jullie dank heb hebben was geen naar",
};

export const LANGS = Object.keys(STOPWORDS);
/** token hash → bitmask of languages whose stopword list holds it. */
export const WORD_LANGS = new Map<number, number>();
LANGS.forEach((lang, index) => {
  for (const word of STOPWORDS[lang].split(" ")) {
    const h = hashString(word);
    WORD_LANGS.set(h, (WORD_LANGS.get(h) ?? 0) | (1 << index));
  }
});

// Characters that point at one Latin-script language.
const MARKS: Array<[RegExp, string]> = [
  [/[ñ¿¡]/, "es"],
  [/[ãõ]/, "pt"],
  [/[ß]/, "de"],
];

const counts = new Float64Array(LANGS.length);

/** Adds one token's stopword evidence; a word shared by several languages is weaker evidence for each. */
export function addLanguageEvidence(mask: number, into: Float64Array) {
  if (mask === 0) return;
  const share = mask & (mask - 1) ? 0.5 : 1;
  for (let k = 0; k < LANGS.length; k++) if (mask & (1 << k)) into[k] += share;
}

/**
 * The language of a scanned post. `known` passes stopword counts the feature
 * pass already gathered (see FeatureBuffer), saving a second walk over the tokens.
 */
export function detectLanguage(text: string, buf: TokenBuffer, known?: { counts: Float64Array; words: number }): string {
  const s = buf.scripts;
  const latin = s[0];
  let nonLatin = 0;
  let best = -1;
  for (let k = 1; k < s.length; k++) {
    if (s[k] > nonLatin) {
      nonLatin = s[k];
      best = k;
    }
  }
  if (nonLatin > latin) {
    // Japanese mixes kana with han; kana anywhere decides it.
    if (s[2] > 0 && (best === 1 || best === 2)) return "ja";
    switch (best) {
      case 1:
        return "zh";
      case 3:
        return "ko";
      case 4:
        return /[іїєґ]/i.test(text) ? "uk" : "ru";
      case 5:
        return /[پچژگ]/.test(text) ? "fa" : "ar";
      case 6:
        return "el";
      case 7:
        return "he";
      case 8:
        return "hi";
      case 9:
        return "th";
      default:
        return "und";
    }
  }
  if (latin === 0) return "und";
  let words = 0;
  if (known) {
    counts.set(known.counts);
    words = known.words;
  } else {
    counts.fill(0);
    for (let i = 0; i < buf.count; i++) {
      const kind = buf.kinds[i];
      if (kind !== TOKEN_WORD && kind !== TOKEN_HASHTAG) continue;
      if (kind === TOKEN_WORD) words++;
      addLanguageEvidence(WORD_LANGS.get(buf.hashes[i]) ?? 0, counts);
    }
  }
  if (buf.accented > 0) for (const [re, lang] of MARKS) if (re.test(text)) counts[LANGS.indexOf(lang)] += 1.5;
  let first = 0;
  let second = 0;
  let top = -1;
  for (let k = 0; k < LANGS.length; k++) {
    if (counts[k] > first) {
      second = first;
      first = counts[k];
      top = k;
    } else if (counts[k] > second) second = counts[k];
  }
  if (top < 0 || first < 1) return "und";
  // Short posts need a clear winner; longer ones need a lead over the runner-up.
  if (first - second < 1 && first < 2 * second + 0.5) return "und";
  if (words >= 8 && first < 1.5) return "und";
  return LANGS[top];
}
