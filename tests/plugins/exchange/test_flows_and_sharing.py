"""Flows as the report defines them, spreadsheets in, and envelopes that honour sharing levels."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from silkcore import DataError, Envelope, Flow, load_document
from silkcore._flows import analyse_flows
from silkcore._sharing import content_hash, prepare_for, refusal, verify_received

from ...conftest import EXAMPLES, run_silk

DEMO_ORG = "urn:silk:org:demo:tejidos-solidarios"
CSV = EXAMPLES / "flows" / "tejidos-solidarios-flows.csv"


def demo_flows() -> list[Flow]:
    lines = (EXAMPLES / "demo" / "flows.jsonl").read_bytes().splitlines()
    return [load_document(line) for line in lines if line.strip()]


def test_matrix_shares_balance_and_pairs_worked_by_hand() -> None:
    result = analyse_flows(demo_flows(), DEMO_ORG)
    assert result.flows == 7
    matrix = {(k.value, d.value): c for (k, d), c in result.matrix.items()}
    assert matrix[("goods", "inward")].count == 1 and matrix[("goods", "inward")].money == {"EUR": Decimal("171900.00")}
    assert matrix[("goods", "inward")].quantities == {"tonnes": Decimal("58.0")}
    assert matrix[("finance", "inward")].money == {"EUR": Decimal("60000.00")}
    assert result.intangible_share == Decimal("0.4286")  # 3 of 7
    assert result.balance == Decimal("0.1429")  # (4 outward - 3 inward) / 7
    assert result.reciprocal_pairs == (("urn:silk:flow:demo:cotton-2024", "urn:silk:flow:demo:premium-2024"),)
    assert set(result.countries) == {"FR", "IN", "IT", "MA"}
    assert result.by_strategy["knowledge_dissemination"] == 2


def test_money_is_never_summed_across_currencies_without_rates() -> None:
    flows = demo_flows()
    usd = json.loads((EXAMPLES / "demo" / "flows.jsonl").read_text().splitlines()[2])
    usd["flow_id"] = "urn:silk:flow:test:usd"
    usd["amount"] = {"amount": "1000.00", "currency": "USD"}
    flows.append(load_document(usd))
    result = analyse_flows(flows, DEMO_ORG)
    assert result.matrix[next(k for k in result.matrix if k[0].value == "goods" and k[1].value == "outward")].money == {
        "EUR": Decimal("131000.00"),
        "USD": Decimal("1000.00"),
    }
    assert result.converted_total is None
    with pytest.raises(DataError, match="no rate for USD"):
        analyse_flows(flows, DEMO_ORG, rates={"GBP": Decimal("1.17")}, base="EUR")
    converted = analyse_flows(flows, DEMO_ORG, rates={"USD": Decimal("0.9")}, base="EUR").converted_total
    assert converted == {"inward (EUR)": Decimal("231900.00"), "outward (EUR)": Decimal("140500.00")}


def test_cli_prints_matrix_intangible_share_and_balance() -> None:
    result = run_silk("flows", "analyse", str(EXAMPLES / "demo" / "organisation.json"), str(EXAMPLES / "demo" / "flows.jsonl"))
    assert result.returncode == 0, result.stderr
    assert "goods" in result.stdout and "intangible share: 43%" in result.stdout and "balance" in result.stdout


def test_csv_import_keeps_good_rows_and_reports_bad_ones(tmp_path: Path) -> None:
    rows = CSV.read_text().splitlines()
    rows[2] = rows[2].replace(",finance,", ",weapons,")
    rows[4] = rows[4].replace("2024-03-01", "2024-13-01")
    bad = tmp_path / "flows.csv"
    bad.write_text("\n".join(rows) + "\n")
    out = tmp_path / "flows.jsonl"
    result = run_silk("import", "--format", "flows-csv", str(bad), "-o", str(out))
    assert result.returncode == 3, result.stderr
    assert f"{bad}:3" in result.stderr and "column kind" in result.stderr
    assert f"{bad}:5" in result.stderr and "column start" in result.stderr
    assert len(out.read_text().splitlines()) == 5
    assert "Traceback" not in result.stderr


def test_csv_with_unknown_column_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "flows.csv"
    bad.write_text(CSV.read_text().replace("description", "secret_notes", 1))
    result = run_silk("import", "--format", "flows-csv", str(bad))
    assert result.returncode == 1 and "unknown column 'secret_notes'" in result.stderr


def test_private_envelope_is_not_exported_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = run_silk(
        "export",
        "--format",
        "envelope",
        "--audience",
        "network",
        str(EXAMPLES / "documents" / "envelope-private-organisation.json"),
        "-o",
        str(out),
    )
    assert result.returncode == 1 and "private" in result.stderr
    assert not out.exists()


def test_network_envelope_is_exported_redacted_with_its_hash(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    source = EXAMPLES / "documents" / "envelope-network-flow.json"
    result = run_silk("export", "--format", "envelope", "--audience", "network", str(source), "-o", str(out))
    assert result.returncode == 0, result.stderr
    exported = json.loads(out.read_text())
    assert "amount" in json.loads(source.read_text())["payload"] and "amount" not in exported["payload"]
    assert exported["provenance"]["content_hash"] == content_hash(exported["payload"])
    assert run_silk("export", "--format", "envelope", "--audience", "public", str(source)).returncode == 1
    imported = run_silk("import", "--format", "envelope", str(out))
    assert (
        imported.returncode == 0
        and json.loads(imported.stdout)["provenance"]["content_hash"] == exported["provenance"]["content_hash"]
    )


def test_sharing_rules() -> None:
    network = load_document(EXAMPLES / "documents" / "envelope-network-flow.json")
    assert isinstance(network, Envelope)
    assert refusal(network, "network") is None and "not with the public" in (refusal(network, "public") or "")
    import attrs

    bilateral = attrs.evolve(
        network,
        sharing=attrs.evolve(
            network.sharing, level=network.sharing.level.__class__("bilateral"), audience=("https://peer.example/",)
        ),
    )
    assert "name the receiving peer" in (refusal(bilateral, "bilateral") or "")
    assert refusal(bilateral, "bilateral", "https://peer.example/") is None
    assert "not in the record's audience" in (refusal(bilateral, "bilateral", "https://other.example/") or "")
    later = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    assert "expired" in (refusal(network, "network", now=later) or "")
    with pytest.raises(DataError, match="expired"):
        verify_received(network, now=later)
    altered = attrs.evolve(prepare_for(network, "network"), payload=dict(network.payload, kind="services"))
    with pytest.raises(DataError, match="altered"):
        verify_received(altered)


def test_expired_envelope_is_not_imported(tmp_path: Path) -> None:
    doc = json.loads((EXAMPLES / "documents" / "envelope-network-flow.json").read_text())
    doc["sharing"]["expires_at"] = "2020-01-01T00:00:00Z"
    path = tmp_path / "old.json"
    path.write_text(json.dumps(doc))
    result = run_silk("import", "--format", "envelope", str(path))
    assert result.returncode == 1 and "expired" in result.stderr and "/sharing/expires_at" in result.stderr


@pytest.mark.parametrize(
    "options",
    [["--base", "USD", "--rate", f"EUR={rate}"] for rate in ("NaN", "Infinity", "0", "-1.08")] + [["--to", "2025-12-31"]],
)
def test_flows_analyse_refuses_a_rate_or_period_that_means_nothing(options: list[str]) -> None:
    """A NaN or negative rate gave 'converted: NaN' and negative money, exit 0; --to without
    --from was silently ignored."""
    documents = [str(EXAMPLES / "demo" / "organisation.json"), str(EXAMPLES / "demo" / "flows.jsonl")]
    result = run_silk("flows", "analyse", *documents, *options)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
