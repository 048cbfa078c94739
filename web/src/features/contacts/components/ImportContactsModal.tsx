import {
  Alert,
  Anchor,
  Badge,
  Button,
  FileInput,
  Group,
  Modal,
  ScrollArea,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
} from "@mantine/core";
import { IconCheck, IconFileUpload, IconInfoCircle } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";
import { CONTACT_FIELDS } from "../../../../../src/contracts/transfer";
import { api } from "../../../api";
import { usePermissions } from "../../../auth";
import { keys, useCustomFields } from "../../../queries";
import type { ImportResult } from "../../../types";
import { FormError } from "../../../ui/FormError";
import { StackForm } from "../../../ui/StackForm";

type Format = "csv" | "vcard";

/** The header row of a CSV file, honouring quotes. */
export function csvHeader(text: string): string[] {
  const out: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(cell.trim());
      cell = "";
    } else if (ch === "\n" || ch === "\r") break;
    else cell += ch;
  }
  out.push(cell.trim());
  return out.map((c) => c.replace(/^\uFEFF/, "")).filter(Boolean);
}

/** A contact field as people read it: "first_name" → "First name". */
function fieldLabel(field: string): string {
  const words = field.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function guessFormat(file: File): Format {
  return /\.(vcf|vcard)$/i.test(file.name) || file.type.includes("vcard") ? "vcard" : "csv";
}

export function ImportContactsModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Import contacts" size="xl">
      {opened && <ImportContacts onClose={onClose} />}
    </Modal>
  );
}

function ImportContacts({ onClose }: { onClose: () => void }) {
  const client = useQueryClient();
  const { canAdmin } = usePermissions();
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState<string>("");
  const [format, setFormat] = useState<Format>("csv");
  const [columns, setColumns] = useState<string[]>([]);
  const [idColumn, setIdColumn] = useState<string | null>(null);
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [done, setDone] = useState<ImportResult | null>(null);
  // The user's column → field choices over the automatic mapping ("" leaves a column out).
  const [chosen, setChosen] = useState<Record<string, string>>({});

  const run = useMutation({
    mutationFn: ({ dryRun, map }: { dryRun: boolean; map: Record<string, string> }) =>
      api<ImportResult>("/imports/contacts", {
        method: "POST",
        query: {
          format,
          id_column: idColumn ?? undefined,
          dry_run: dryRun,
          map: format === "csv" && Object.keys(map).length > 0 ? JSON.stringify(map) : undefined,
        },
        body: text,
        contentType: format === "csv" ? "text/csv" : "text/vcard",
      }),
    onSuccess: (result, { dryRun }) => {
      if (dryRun) setPreview(result);
      else {
        setDone(result);
        client.invalidateQueries({ queryKey: keys.contacts });
        client.invalidateQueries({ queryKey: keys.organizations });
      }
    },
  });

  async function handleFile(next: File | null) {
    setFile(next);
    setPreview(null);
    setDone(null);
    setIdColumn(null);
    setChosen({});
    run.reset();
    if (!next) {
      setText("");
      setColumns([]);
      return;
    }
    const content = await next.text();
    const detected = guessFormat(next);
    setText(content);
    setFormat(detected);
    setColumns(detected === "csv" ? csvHeader(content) : []);
  }

  function handleSubmit() {
    if (!file) return;
    run.mutate({ dryRun: !preview, map: chosen });
  }

  /** A column given another field in the preview: the preview is worked out again with it. */
  function choose(column: string, field: string) {
    const next = { ...chosen, [column]: field };
    setChosen(next);
    run.mutate({ dryRun: true, map: next });
  }

  if (done) {
    return (
      <Stack>
        <Alert color="green" icon={<IconCheck size={18} />} title="Import finished">
          {done.created} created, {done.updated} updated
          {done.rejected.length > 0 ? `, ${done.rejected.length} rows rejected` : ""}
          {done.suppressed > 0 ? `, ${done.suppressed} skipped (people who asked to be erased)` : ""} (from {done.total} rows).
        </Alert>
        {done.rejected.length > 0 && <Rejections result={done} />}
        <Group justify="flex-end">
          <Button onClick={onClose} data-autofocus>
            Done
          </Button>
        </Group>
      </Stack>
    );
  }

  return (
    <StackForm onSubmit={handleSubmit}>
      <Text size="sm" c="dimmed">
        Upload a CSV (with a header row) or a vCard file. You will see how its columns map to contact fields before anything is saved.
      </Text>
      <FileInput
        label="File"
        placeholder="Choose a .csv or .vcf file"
        accept=".csv,.vcf,.vcard,text/csv,text/vcard,text/x-vcard"
        leftSection={<IconFileUpload size={16} />}
        value={file}
        onChange={handleFile}
        clearable
        data-autofocus
      />
      {file && (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Stack gap={4}>
            <Text size="sm" fw={500} id="import-format-label">
              Format
            </Text>
            <SegmentedControl
              aria-labelledby="import-format-label"
              value={format}
              onChange={(v) => {
                setFormat(v as Format);
                setPreview(null);
              }}
              data={[
                { value: "csv", label: "CSV" },
                { value: "vcard", label: "vCard" },
              ]}
            />
          </Stack>
          {format === "csv" && (
            <Select
              label="Match existing contacts by"
              description="Rows whose value in this column matches update that contact"
              placeholder="Create new contacts only"
              clearable
              data={columns}
              value={idColumn}
              onChange={(v) => {
                setIdColumn(v);
                setPreview(null);
              }}
            />
          )}
        </SimpleGrid>
      )}
      <FormError error={run.error} />
      {preview && <Preview result={preview} canCreateFields={canAdmin} onChoose={format === "csv" ? choose : undefined} />}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        {preview && (
          <Button variant="default" onClick={() => setPreview(null)}>
            Back
          </Button>
        )}
        <Button type="submit" disabled={!file || (preview !== null && preview.created + preview.updated === 0)} loading={run.isPending}>
          {preview ? `Import ${preview.created + preview.updated} contacts` : "Preview import"}
        </Button>
      </Group>
    </StackForm>
  );
}

function Preview({
  result,
  canCreateFields,
  onChoose,
}: {
  result: ImportResult;
  canCreateFields: boolean;
  /** CSV: lets each column be given another field (or left out). */
  onChoose?: (column: string, field: string) => void;
}) {
  const customFields = useCustomFields("contact");
  const fieldOptions = [
    { value: "", label: "Leave out" },
    ...CONTACT_FIELDS.map((f) => ({ value: f, label: fieldLabel(f) })),
    ...(customFields.data ?? []).map((f) => ({ value: `custom.${f.key}`, label: `${f.label} (custom field)` })),
    { value: "external_id", label: "External ID (matches on later imports)" },
  ];
  const rows =
    result.columns.length > 0 ? result.columns : Object.entries(result.mapping).map(([column, field]) => ({ column, field, samples: [] }));
  return (
    <Stack gap="sm">
      <Alert color="blue" icon={<IconInfoCircle size={18} />} title="Preview — nothing saved yet">
        {result.total} rows: {result.created} would be created, {result.updated} updated
        {result.rejected.length > 0 ? `, ${result.rejected.length} rejected` : ""}
        {result.suppressed > 0 ? `, ${result.suppressed} skipped (people who asked to be erased)` : ""}.
      </Alert>
      {Object.keys(result.mapping).length === 0 && (
        <Alert color="yellow" title="No column fills a contact field yet">
          Choose a field for the columns below (at least the name).
        </Alert>
      )}
      {rows.length > 0 && (
        <div>
          <Text fw={600} size="sm" mb={4}>
            Column mapping
          </Text>
          <ScrollArea.Autosize mah={260}>
            <Table striped withTableBorder fz="sm" aria-label="Column mapping">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Column in file</Table.Th>
                  <Table.Th>First values</Table.Th>
                  <Table.Th>Contact field</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.column}>
                    <Table.Td>{r.column}</Table.Td>
                    <Table.Td>
                      <Text size="xs" c="dimmed" lineClamp={2}>
                        {r.samples.join(" · ") || "—"}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {onChoose ? (
                        <Select
                          aria-label={`Field for column ${r.column}`}
                          size="xs"
                          searchable
                          allowDeselect={false}
                          data={fieldOptions}
                          value={r.field ?? ""}
                          onChange={(v) => v !== null && onChoose(r.column, v)}
                          miw={180}
                        />
                      ) : r.field ? (
                        <Badge variant="light" radius="sm" tt="none">
                          {r.field}
                        </Badge>
                      ) : (
                        "—"
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        </div>
      )}
      {result.unmapped_columns.length > 0 && (
        <Alert color="yellow" title="Columns that will be ignored">
          <Text size="sm">
            {result.unmapped_columns.map((c) => (c.suggested_type ? `${c.column} (looks like ${c.suggested_type})` : c.column)).join(", ")}
          </Text>
          {canCreateFields && (
            <Text size="sm" mt={4}>
              To keep them, add matching{" "}
              <Anchor component={Link} to="/settings/custom-fields" size="sm">
                custom fields
              </Anchor>{" "}
              first.
            </Text>
          )}
        </Alert>
      )}
      {result.rejected.length > 0 && <Rejections result={result} />}
    </Stack>
  );
}

function Rejections({ result }: { result: ImportResult }) {
  const shown = result.rejected.slice(0, 200);
  return (
    <div>
      <Text fw={600} size="sm" mb={4} c="red">
        Rejected rows ({result.rejected.length})
      </Text>
      <ScrollArea.Autosize mah={220}>
        <Table striped withTableBorder fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Row</Table.Th>
              <Table.Th>Column</Table.Th>
              <Table.Th>Problem</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((r, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a row can be rejected for several columns
              <Table.Tr key={i}>
                <Table.Td>{r.row}</Table.Td>
                <Table.Td>{r.column ?? "—"}</Table.Td>
                <Table.Td>{r.message}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
      {result.rejected.length > shown.length && (
        <Text size="xs" c="dimmed" mt={4}>
          and {result.rejected.length - shown.length} more
        </Text>
      )}
    </div>
  );
}
