import { NumberInput, Textarea, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Category } from "../../../../../src/contracts/knowledge";
import { api, fieldErrors } from "../../../api";
import { NewButton } from "../../../ui/buttons";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { type DataColumn, DataTable } from "../../../ui/DataTable";
import { FormActions } from "../../../ui/FormActions";
import { FormError } from "../../../ui/FormError";
import { textField, trimOrNull } from "../../../ui/form-helpers";
import { LoadError } from "../../../ui/LoadError";
import { ModalForm } from "../../../ui/ModalForm";
import { RowActions } from "../../../ui/RowActions";
import { SettingsSection } from "../../../ui/SettingsSection";
import { useConfirmed } from "../../../ui/useConfirmed";
import { kbKeys, useCategories } from "../queries";

/** The help centre's categories, in their order; managers add, rename, reorder and delete them. */
export function CategoriesPanel({ canWrite }: { canWrite: boolean }) {
  const client = useQueryClient();
  const categories = useCategories();
  const [editing, setEditing] = useState<Category | "new" | null>(null);
  const remove = useConfirmed(
    (c: Category) => api(`/knowledge/categories/${c.id}`, { method: "DELETE" }),
    () => client.invalidateQueries({ queryKey: kbKeys.all }),
  );
  const columns: Array<DataColumn<Category>> = [
    { key: "name", header: "Category", cell: (c) => c.name },
    { key: "slug", header: "Slug", td: { fz: "sm", c: "dimmed" }, cell: (c) => c.slug },
    { key: "count", header: "Published articles", td: { fz: "sm" }, cell: (c) => c.article_count },
    ...(canWrite
      ? [
          {
            key: "actions",
            th: { w: 90 },
            cell: (c: Category) => (
              <RowActions
                editLabel={`Edit category ${c.name}`}
                onEdit={() => setEditing(c)}
                deleteLabel={`Delete category ${c.name}`}
                onDelete={() => remove.ask(c)}
              />
            ),
          },
        ]
      : []),
  ];
  return (
    <SettingsSection
      title="Categories"
      label="Categories"
      description="How the portal's help centre groups its articles"
      actions={canWrite && <NewButton onClick={() => setEditing("new")}>New category</NewButton>}
    >
      {categories.isError ? (
        <LoadError error={categories.error} onRetry={() => categories.refetch()} />
      ) : (
        <DataTable
          label="Categories"
          columns={columns}
          rows={categories.data?.data ?? []}
          rowKey={(c) => c.id}
          empty={categories.data ? "No categories yet" : undefined}
        />
      )}
      {editing && <CategoryModal category={editing === "new" ? null : editing} onClose={() => setEditing(null)} />}
      <ConfirmDialog title="Delete category" {...remove.dialog}>
        Delete the category “{remove.target?.name}”? Its articles stay, without a category.
      </ConfirmDialog>
    </SettingsSection>
  );
}

function CategoryModal({ category, onClose }: { category: Category | null; onClose: () => void }) {
  const client = useQueryClient();
  const [name, setName] = useState(category?.name ?? "");
  const [slug, setSlug] = useState(category?.slug ?? "");
  const [description, setDescription] = useState(category?.description ?? "");
  const [position, setPosition] = useState<number>(category?.position ?? 0);
  const save = useMutation({
    mutationFn: () => {
      const body = { name, description: trimOrNull(description), position, ...(slug.trim() ? { slug: slug.trim() } : {}) };
      return category
        ? api<Category>(`/knowledge/categories/${category.id}`, { method: "PATCH", body })
        : api<Category>("/knowledge/categories", { method: "POST", body });
    },
    onSuccess: () => {
      client.invalidateQueries({ queryKey: kbKeys.all });
      onClose();
    },
  });
  const errors = fieldErrors(save.error);
  return (
    <ModalForm opened onClose={onClose} title={category ? "Edit category" : "New category"} onSubmit={() => save.mutate()}>
      <TextInput label="Name" required {...textField(name, setName)} error={errors.name} data-autofocus />
      <TextInput
        label="Slug"
        description="The category's address in the portal; made from the name when left empty"
        {...textField(slug, setSlug)}
        error={errors.slug}
      />
      <Textarea label="Description" autosize minRows={2} {...textField(description, setDescription)} error={errors.description} />
      <NumberInput label="Position" min={0} max={10000} value={position} onChange={(v) => setPosition(Number(v) || 0)} />
      <FormError error={save.error} shownFields={["name", "slug", "description"]} />
      <FormActions onCancel={onClose} submitLabel={category ? "Save" : "Create category"} loading={save.isPending} />
    </ModalForm>
  );
}
