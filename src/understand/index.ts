// Understanding: what a post says, decided locally and fast. For every text it
// gives the language, sentiment (label and score), the probability of each
// intent (complaint, question, suggestion, praise, buying signal, churn risk,
// spam) with calibrated labels, a 0–100 priority and the reasons behind them,
// in words an agent understands. The models are linear models over hashed
// n-gram and lexicon features, trained by `npm run train` from ../shared/data
// and the hand-labelled dev set, and committed in data/models/.

export { type Analysis, type AnalysisContext, Analyzer, analyze, matchProducts } from "./analyze";
export {
  analysisContextSchema,
  type ClassifyError,
  type ClassifyInput,
  type ClassifyResult,
  classifyInputSchema,
  classifyLine,
  classifyOne,
  contextOf,
  MAX_TEXT_LENGTH,
} from "./classify";
export { detectLanguage } from "./language";
export {
  INTENTS,
  type Intent,
  loadDefaultModel,
  type Model,
  parseModel,
  SENTIMENTS,
  type SentimentLabel,
  SIGNALS,
  type Signal,
} from "./model";
export { formatCount, type PriorityContext, scorePriority } from "./priority";
export { type ContentTerm, contentTerms, cosine, stem, summarizeRequest, type TermVector, termVector, textSimilarity } from "./similarity";
export { type Token, type TokenKind, tokenize } from "./tokenizer";
export { mulberry32 } from "./training";
