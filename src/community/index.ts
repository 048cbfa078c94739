// Community: the workspace's public portal at /c/<slug>, for its customers. Members (accounts of
// their own, by password or magic link) ask and answer questions, submit and vote on ideas, and
// follow their cases; every post is also a message on the community network through the ingest
// pipeline, so staff see and answer it in the inbox, and their replies show on the portal. Trust
// levels earned by activity gate links, images and how much a member may post; members report
// posts to a staff moderation queue. The server renders the pages (src/server/portal).
export { casePage, caseUrl, myCases, replyToCase } from "./cases";
export { type ArticleSuggestion, articleFeedback, helpArticle, helpIndex, suggestArticles } from "./help-centre";
export {
  commentOnIdea,
  followIdea,
  ideaBoard,
  ideaPage,
  ideaStatusName,
  ideaUrl,
  ROADMAP_STATUSES,
  roadmap,
  similarIdeas,
  submitIdea,
  voteForIdea,
} from "./ideas";
export {
  consumeMagicLink,
  MAGIC_LINK_MINUTES,
  MEMBER_SESSION_DAYS,
  type Member,
  memberFromSession,
  requestMagicLink,
  signInMember,
  signOutMember,
  signUpMember,
  trustName,
  updateMemberProfile,
} from "./members";
export { moderatePost, moderationQueue, setMemberStanding } from "./moderation";
export { noticeIdeaStatusChange, stopIdeaNotices, stopNoticesLink } from "./notices";
export {
  type CommunityDeps,
  checkCustomDomain,
  communityDeps,
  customDomains,
  ensurePortal,
  getPortalSettings,
  type Portal,
  type PortalSettings,
  type PostSink,
  portalByDomain,
  portalBySlug,
  portalLink,
  portalOfWorkspace,
  updatePortalSettings,
} from "./portal";
export {
  acceptAnswer,
  acceptAnswerAsStaff,
  answerQuestion,
  askQuestion,
  commentOnPost,
  type PostView,
  promoteAnswer,
  questionList,
  questionPage,
  questionUrl,
  reportPost,
  type StaffReplyView,
  upvotePost,
  type Writer,
} from "./qa";
export { RateLimiter, TRUST_LEVELS, trustOf } from "./trust";
