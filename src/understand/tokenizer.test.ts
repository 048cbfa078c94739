import { describe, expect, it } from "vitest";
import { hashString, TOKEN_EMOJI, TOKEN_EMOTICON, TOKEN_HANDLE, TOKEN_HASHTAG, TOKEN_URL, tokenize } from "./tokenizer";

const texts = (s: string) => tokenize(s).map((t) => t.text);

describe("tokenizer", () => {
  it("lowercases words and keeps contractions whole", () => {
    expect(texts("Don't LOVE it, Really")).toEqual(["don't", "love", "it", "really"]);
    expect(texts("It doesn’t work")).toEqual(["it", "doesn't", "work"]);
  });

  it("turns URLs and @handles into class tokens and keeps #tags with their word", () => {
    const tokens = tokenize("@AcmeHelp see https://acme.example/a?b=1 and www.acme.example #EpicFail");
    expect(tokens.map((t) => t.text)).toEqual(["<user>", "see", "<url>", "and", "<url>", "#epicfail"]);
    expect(tokens.map((t) => t.kind)).toEqual([TOKEN_HANDLE, 1, TOKEN_URL, 1, TOKEN_URL, TOKEN_HASHTAG]);
  });

  it("shrinks elongated words to two letters and flags them", () => {
    const [so, good] = tokenize("sooooo goooood");
    expect(so).toMatchObject({ text: "soo", elongated: true });
    expect(good).toMatchObject({ text: "good", elongated: true });
    expect(tokenize("good")[0].elongated).toBe(false);
    // "sooooo" and "sooo" are the same token
    expect(texts("sooooo")).toEqual(texts("sooo"));
  });

  it("marks the words after a negator until punctuation or 'but'", () => {
    const tokens = tokenize("I am not happy with this, but the staff were great");
    const negated = tokens.filter((t) => t.negated).map((t) => t.text);
    expect(negated).toEqual(["happy", "with", "this"]);
    expect(tokenize("never again")[1].negated).toBe(true);
    expect(tokenize("it isn't good. it is fine")[3].negated).toBe(false);
  });

  it("keeps emoji and emoticons as tokens, but not times or URLs", () => {
    const tokens = tokenize("love it :) <3 😍😡 but :( at 10:30");
    expect(tokens.filter((t) => t.kind === TOKEN_EMOTICON).map((t) => t.text)).toEqual([":)", "<3", ":("]);
    expect(tokens.filter((t) => t.kind === TOKEN_EMOJI).map((t) => t.text)).toEqual(["😍", "😡"]);
  });

  it("flags all-caps words and counts ! and ?", () => {
    const tokens = tokenize("this is NOT ok!!! why??");
    expect(tokens.find((t) => t.text === "not")?.allCaps).toBe(true);
    expect(texts("this is NOT ok!!! why??")).toEqual(["this", "is", "not", "ok", "!", "why", "?"]);
  });

  it("marks the first word of each clause, where imperatives stand, but not the inside of a hyphenated word", () => {
    const starts = (s: string) =>
      tokenize(s)
        .filter((t) => t.clauseStart)
        .map((t) => t.text);
    expect(starts("Nice hotel. If you stay, ask for a room upstairs and pre-order breakfast")).toEqual(["nice", "if", "ask"]);
    expect(starts("@AcmeHelp please add dark mode - it hurts at night\nthanks!")).toEqual(["please", "it", "thanks"]);
  });

  it("hashes the same way as hashString, so lexicons can be keyed by word", () => {
    expect(hashString("😍")).toBe(hashString("😍"));
    expect(texts("Café naïve")).toEqual(["café", "naïve"]);
  });
});
