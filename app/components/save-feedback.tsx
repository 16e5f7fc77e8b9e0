import { useT, type Message } from "../i18n";

/**
 * The end of a settings form on /admin: 保存 (disabled for who may not change it), the refusals (joined), and
 * 已保存 after a save.
 */
export function SaveFeedback({ editable, errors = null, saved }: { editable: boolean; errors?: Message[] | null; saved: boolean }) {
  const { t, m } = useT();
  return (
    <>
      <button type="submit" disabled={!editable}>
        {t("save")}
      </button>
      {errors && errors.length > 0 && (
        <span className="form-error" role="alert">
          {errors.map(m).join(t("problemSeparator"))}
        </span>
      )}
      {saved && (
        <span className="form-ok" role="status">
          {t("saved")}
        </span>
      )}
    </>
  );
}
