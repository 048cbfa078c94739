import { Center, Loader } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { lazy, type ReactNode, Suspense, useEffect } from "react";
import { Navigate, Route, Routes } from "react-router-dom";
import { setUnauthorizedHandler } from "./api";
import { MeContext, meQueryKey, useMeQuery, useSetupQuery } from "./auth";
import { InvitePage } from "./features/auth/pages/InvitePage";
import { SignInPage } from "./features/auth/pages/SignInPage";
import { SignUpPage } from "./features/auth/pages/SignUpPage";
import { TwoFactorRequiredPage } from "./features/auth/pages/TwoFactorRequiredPage";
import { AppLayout } from "./features/shell/components/AppLayout";
import { LoadError } from "./ui/LoadError";

// Pages behind sign-in are loaded on demand so the sign-in screen stays light.
const HomePage = lazy(() => import("./features/home/pages/HomePage").then((m) => ({ default: m.HomePage })));
const InboxPage = lazy(() => import("./features/inbox/pages/InboxPage").then((m) => ({ default: m.InboxPage })));
const ContactsPage = lazy(() => import("./features/contacts/pages/ContactsPage").then((m) => ({ default: m.ContactsPage })));
const ContactPage = lazy(() => import("./features/contacts/pages/ContactPage").then((m) => ({ default: m.ContactPage })));
const OrganizationsPage = lazy(() => import("./features/contacts/pages/OrganizationsPage").then((m) => ({ default: m.OrganizationsPage })));
const OrganizationPage = lazy(() => import("./features/contacts/pages/OrganizationPage").then((m) => ({ default: m.OrganizationPage })));
const TasksPage = lazy(() => import("./features/work/pages/TasksPage").then((m) => ({ default: m.TasksPage })));
const DuplicatesPage = lazy(() => import("./features/identity/pages/DuplicatesPage").then((m) => ({ default: m.DuplicatesPage })));
const PeoplePage = lazy(() => import("./features/identity/pages/PeoplePage").then((m) => ({ default: m.PeoplePage })));
const SettingsPage = lazy(() => import("./features/settings/pages/SettingsPage").then((m) => ({ default: m.SettingsPage })));
const CasesPage = lazy(() => import("./features/work/pages/CasesPage").then((m) => ({ default: m.CasesPage })));
const CasePage = lazy(() => import("./features/work/pages/CasePage").then((m) => ({ default: m.CasePage })));
const DealsPage = lazy(() => import("./features/work/pages/DealsPage").then((m) => ({ default: m.DealsPage })));
const DealPage = lazy(() => import("./features/work/pages/DealPage").then((m) => ({ default: m.DealPage })));
const IdeasPage = lazy(() => import("./features/work/pages/IdeasPage").then((m) => ({ default: m.IdeasPage })));
const IdeaPage = lazy(() => import("./features/work/pages/IdeaPage").then((m) => ({ default: m.IdeaPage })));
const RulesPage = lazy(() => import("./features/rules/pages/RulesPage").then((m) => ({ default: m.RulesPage })));
const RulePage = lazy(() => import("./features/rules/pages/RulePage").then((m) => ({ default: m.RulePage })));
const ModerationPage = lazy(() => import("./features/community/pages/ModerationPage").then((m) => ({ default: m.ModerationPage })));
const KnowledgePage = lazy(() => import("./features/knowledge/pages/KnowledgePage").then((m) => ({ default: m.KnowledgePage })));
const ArticlePage = lazy(() => import("./features/knowledge/pages/ArticlePage").then((m) => ({ default: m.ArticlePage })));
const ReportsPage = lazy(() => import("./features/reports/pages/ReportsPage").then((m) => ({ default: m.ReportsPage })));
const IssuesPage = lazy(() => import("./features/reports/pages/IssuesPage").then((m) => ({ default: m.IssuesPage })));
const InfluencePage = lazy(() => import("./features/influence/pages/InfluencePage").then((m) => ({ default: m.InfluencePage })));
const IssuePage = lazy(() => import("./features/reports/pages/IssuePage").then((m) => ({ default: m.IssuePage })));
const NotFoundPage = lazy(() => import("./features/shell/pages/NotFoundPage").then((m) => ({ default: m.NotFoundPage })));

export function FullPageLoader() {
  return (
    <Center h="100vh">
      <Loader aria-label="Loading" />
    </Center>
  );
}

function FullPageError({ query }: { query: { error: unknown; refetch: () => unknown } }) {
  return (
    <Center h="100vh" p="md">
      <LoadError error={query.error} onRetry={() => query.refetch()} />
    </Center>
  );
}

export function App() {
  const client = useQueryClient();
  const me = useMeQuery();
  const setup = useSetupQuery(me.data === null);

  useEffect(() => {
    // A 401 anywhere means the session ended: drop cached data and show sign-in.
    setUnauthorizedHandler(() => {
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== "auth" });
      client.setQueryData(meQueryKey, null);
    });
  }, [client]);

  if (me.isPending) return <FullPageLoader />;
  if (me.isError) {
    return <FullPageError query={me} />;
  }

  if (!me.data) {
    if (setup.isPending) return <FullPageLoader />;
    if (setup.isError) {
      return <FullPageError query={setup} />;
    }
    const needsSetup = setup.data.needs_setup;
    return (
      <Routes>
        <Route path="/invite/:token" element={<InvitePage />} />
        <Route path="/signup" element={<SignUpPage firstWorkspace={needsSetup} />} />
        <Route path="*" element={needsSetup ? <SignUpPage firstWorkspace /> : <SignInPage />} />
      </Routes>
    );
  }

  // The workspace requires two-factor sign-in and this person has none yet: that comes first.
  if (me.data.two_factor.setup_required) return <TwoFactorRequiredPage />;

  return (
    <MeContext.Provider value={me.data}>
      <Routes>
        <Route path="/invite/:token" element={<InvitePage />} />
        <Route element={<AppLayout />}>
          <Route index element={<Navigate to="/inbox" replace />} />
          <Route path="signin" element={<Navigate to="/inbox" replace />} />
          <Route path="signup" element={<Navigate to="/inbox" replace />} />
          <Route path="home" element={<Lazy page={<HomePage />} />} />
          <Route path="inbox" element={<Lazy page={<InboxPage />} />} />
          <Route path="inbox/:id" element={<Lazy page={<InboxPage />} />} />
          <Route path="contacts" element={<Lazy page={<ContactsPage />} />} />
          <Route path="contacts/:id" element={<Lazy page={<ContactPage />} />} />
          <Route path="duplicates" element={<Lazy page={<DuplicatesPage />} />} />
          <Route path="people" element={<Lazy page={<PeoplePage />} />} />
          <Route path="organizations" element={<Lazy page={<OrganizationsPage />} />} />
          <Route path="organizations/:id" element={<Lazy page={<OrganizationPage />} />} />
          <Route path="tasks" element={<Lazy page={<TasksPage />} />} />
          <Route path="cases" element={<Lazy page={<CasesPage />} />} />
          <Route path="cases/:id" element={<Lazy page={<CasePage />} />} />
          <Route path="deals" element={<Lazy page={<DealsPage />} />} />
          <Route path="deals/:id" element={<Lazy page={<DealPage />} />} />
          <Route path="ideas" element={<Lazy page={<IdeasPage />} />} />
          <Route path="ideas/:id" element={<Lazy page={<IdeaPage />} />} />
          <Route path="help-centre" element={<Lazy page={<KnowledgePage />} />} />
          <Route path="community" element={<Lazy page={<ModerationPage />} />} />
          <Route path="help-centre/:id" element={<Lazy page={<ArticlePage />} />} />
          <Route path="rules" element={<Lazy page={<RulesPage />} />} />
          <Route path="rules/:id" element={<Lazy page={<RulePage />} />} />
          <Route path="reports" element={<Navigate to="/reports/listening" replace />} />
          <Route path="reports/:tab" element={<Lazy page={<ReportsPage />} />} />
          <Route path="issues" element={<Lazy page={<IssuesPage />} />} />
          <Route path="issues/:id" element={<Lazy page={<IssuePage />} />} />
          <Route path="influence" element={<Lazy page={<InfluencePage />} />} />
          <Route path="settings" element={<Navigate to="/settings/workspace" replace />} />
          <Route path="settings/:section" element={<Lazy page={<SettingsPage />} />} />
          <Route path="*" element={<Lazy page={<NotFoundPage />} />} />
        </Route>
      </Routes>
    </MeContext.Provider>
  );
}

function Lazy({ page }: { page: ReactNode }) {
  return (
    <Suspense
      fallback={
        <Center py="xl">
          <Loader aria-label="Loading page" />
        </Center>
      }
    >
      {page}
    </Suspense>
  );
}
