// Parley's API contracts: the enums, the Zod request and response schemas and the types
// inferred from them, in one place for the server (routes declare them, so OpenAPI is
// complete), the CLI (parses its input with the same schemas) and the web app (imports
// the types). Pure Zod and TypeScript: nothing here may import node or server code.

export * from "./accounts";
export * from "./audit";
export * from "./common";
export * from "./community";
export * from "./crm";
export * from "./enums";
export * from "./home";
export * from "./identity";
export * from "./inbox";
export * from "./influence";
export * from "./issues";
export * from "./knowledge";
export * from "./privacy";
export * from "./replies";
export * from "./reports";
export * from "./rules";
export * from "./team";
export * from "./transfer";
export * from "./understand";
export * from "./work";
