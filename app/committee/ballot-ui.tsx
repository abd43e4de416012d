import { useTranslation } from "react-i18next";
import { TableWrap } from "~/ui/table-wrap";

type Mark = "agree" | "oppose" | "abstain";
const marks: readonly Mark[] = ["agree", "oppose", "abstain"];

/**
 * An election ballot's marks: one row a candidate (with their zone, or X), agree / oppose /
 * abstain as radios named `mark.<candidate id>`. A candidate starts unmarked (it then counts as
 * an abstention; the owner's ballot warns before it is cast with candidates left unmarked).
 * The owner's ballot and a paper ballot entered by the committee are the same table.
 */
export function BallotMarks({
  candidates,
  marked = {},
  disabled,
}: {
  candidates: { id: string; name: string; race: string | null }[];
  marked?: Record<string, Mark>;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <TableWrap label={t("committee.elections.ballot")}>
      <table>
        <thead>
          <tr>
            <th>{t("committee.elections.candidate")}</th>
            {marks.map((c) => (
              <th key={c}>{t(`committee.choices.${c}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {candidates.map((c) => (
            <tr key={c.id}>
              <td>
                {c.name} · {c.race ?? t("committee.seatShort.X")}
              </td>
              {marks.map((choice) => (
                <td key={choice}>
                  <input
                    type="radio"
                    name={`mark.${c.id}`}
                    value={choice}
                    defaultChecked={marked[c.id] === choice}
                    disabled={disabled}
                    aria-label={`${c.name} ${t(`committee.choices.${choice}`)}`}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
