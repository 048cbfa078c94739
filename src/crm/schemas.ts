// The CRM's request shapes live in contracts/ (shared by the API, the CLI, the importers and
// the web app); re-exported here for the CRM's own modules.
export {
  type ActivityInput,
  activityInputSchema,
  activityPatchSchema,
  type ContactInput,
  contactInputSchema,
  customFieldInputSchema,
  customFieldPatchSchema,
  filterGroupSchema,
  isCalendarDate,
  type OrganizationInput,
  organizationInputSchema,
  organizationPatchSchema,
  PERSON_FIELDS,
  segmentFilterSchema,
  segmentInputSchema,
  segmentPatchSchema,
} from "../contracts/crm";
