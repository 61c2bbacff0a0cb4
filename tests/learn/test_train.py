"""`sitrep train` on a small corpus: byte-identical files twice over; inference equals the fitted model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from streams.classify import resources
from streams.classify.detect import embedding, scope, status_model
from streams.classify.detect.features import DIM
from streams.classify.detect.learned import CONFIG_FILE, WEIGHTS_FILE, from_arrays
from streams.classify.extract import actor_choice
from streams.classify.pipeline import classify, cues, prepare
from streams.cli import main
from streams.learn.data import default_shared, load
from streams.learn.train import Settings, fit, out_of_fold, rows

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
THEATRES = {"sudan": "train", "myanmar": "train", "haiti": "validation", "libya": "test"}


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """Four theatres of the real corpus: two to train on, one to validate, one to test."""
    root = tmp_path / "corpus"
    (root / "sentences").mkdir(parents=True)
    for theatre in THEATRES:
        shutil.copy(CORPUS / "sentences" / f"{theatre}.jsonl", root / "sentences")
    (root / "articles").mkdir()
    shutil.copy(CORPUS / "articles" / "sudan.jsonl", root / "articles")  # sentences in context
    splits = {"test": ["libya"], "validation": ["haiti"]}
    (root / "splits.json").write_text(json.dumps(splits), encoding="utf-8")
    return root


def _train(corpus: Path, out: Path) -> dict[str, bytes]:
    return _train_with(corpus, corpus.parent / "no-shared", out)


def _train_with(corpus: Path, shared: Path, out: Path) -> dict[str, bytes]:
    assert main(["train", "--corpus", str(corpus), "--shared", str(shared), "--out", str(out)]) == 0
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_training_is_deterministic(small_corpus: Path, tmp_path: Path) -> None:
    first = _train(small_corpus, tmp_path / "a")
    second = _train(small_corpus, tmp_path / "b")
    models = (scope, status_model, actor_choice)
    assert set(first) == {
        WEIGHTS_FILE,
        CONFIG_FILE,
        *(m.WEIGHTS_FILE for m in models),
        *(m.CONFIG_FILE for m in models),
    }
    assert first == second
    config = json.loads(first[CONFIG_FILE])
    sentences = sum(
        1 for t, s in THEATRES.items() if s == "train" for _ in (CORPUS / "sentences" / f"{t}.jsonl").open()
    )
    articles = sum(1 for _ in (CORPUS / "articles" / "sudan.jsonl").open())
    assert config["training"]["items"] == sentences + articles


def test_the_test_split_never_reaches_training(small_corpus: Path) -> None:
    items = load(small_corpus, None)
    assert {i.theatre for i in items if i.split == "test"} == {"libya"}
    assert {i.theatre for i in items if i.split == "train"} == {"sudan", "myanmar"}


@pytest.mark.parametrize("chars", [True, False], ids=["char-ngrams", "word-prefixes"])
@pytest.mark.parametrize("embed", [0.0, 1.0], ids=["hashed", "with-embeddings"])
def test_numpy_inference_equals_the_fitted_model(small_corpus: Path, embed: float, chars: bool) -> None:
    """The pipeline's features and weights give the logits scikit-learn fitted, sentence by sentence."""
    if embed:
        pytest.importorskip("wordllama")  # measured in the ablation, not a dependency (MODEL_CARD.md)
    items = [i for i in load(small_corpus, None) if i.split == "train"]
    assert any(i.kind == "articles" for i in items)
    # every block: cues, words before, char n-grams or prefixes, and (embed) both sentence embeddings
    settings = Settings(
        previous=True,
        context=0.5,
        chars=chars,
        prefixes=0 if chars else 4,
        embed=embed,
        embed_context=embed / 2,
    )
    train_rows = rows(items, settings)
    weights, bias = fit(train_rows, settings.c)
    expected = np.asarray(train_rows.x @ weights) + bias
    config = {
        "features": {
            "chars": settings.chars,
            "words": True,
            "previous": settings.previous,
            "context": settings.context,
            "prefixes": settings.prefixes,
            "rule_cues": True,
            "embed": settings.embed,
            "embed_context": settings.embed_context,
        },
        "combine": {"keep": [0.5] * 4, "veto": [0.0] * 4},
        "platt": [[1.0, 0.0, 0.0]] * 4,
    }
    assert weights.shape[0] == DIM + (2 * embedding.DIM if embed else 0)
    index = np.flatnonzero(weights[:DIM].any(axis=1))
    detector = from_arrays(index, weights[index], bias, config, weights[DIM:] if embed else None)
    got = []
    for item in items:
        prepared = prepare(item.body)
        spans = [(c.start, c.end) for c in prepared.candidates]
        if spans:
            names = cues(prepared.candidates, settings.previous)
            before = prepared.before()
            logits = detector.logits(prepared.low, spans, names, before)
            got.append(logits + detector.embedded(prepared.text, spans, before))
    assert np.allclose(np.concatenate(got), expected, atol=1e-4)
    assert classify(items[0].body, detector=detector) is not None


def test_eval_scores_the_corpus_per_split_and_never_lists_test_errors(
    small_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", "--corpus", str(small_corpus), "--errors"]) == 0
    out = capsys.readouterr().out
    for split in ("train (all)", "validation (all)", "test (all)"):
        assert f"{split}: " in out
    assert "expected calibration error" in out
    assert "FN " in out  # the train and validation errors are listed
    assert "C-libya" not in out  # the test split's are not


def test_eval_cross_validates_by_theatre(small_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--corpus", str(small_corpus), "--cv", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    folds = [set(f["fold"]) for f in result["folds"]]
    assert sorted(map(sorted, folds)) == [["haiti"], ["myanmar"], ["sudan"]]  # libya (test) in none
    assert 0.0 < result["mean_macro_f1"] <= 1.0


def test_training_without_scikit_learn_is_one_line(
    small_corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "sklearn" else real(name, *a)
    )
    assert main(["train", "--corpus", str(small_corpus)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sitrep: training needs sklearn") and err.count("\n") == 1


@pytest.mark.timeout(900)  # a full retrain: about 2 CPU minutes, more on a loaded machine
def test_the_shipped_detector_is_what_the_corpus_trains(tmp_path: Path) -> None:
    """A change to corpus/ (or ../shared/data) without `sitrep train` fails here, not in a replay."""
    shared = default_shared(CORPUS)
    if not shared.is_dir():
        pytest.skip("../shared/data is not beside the checkout")
    rebuilt = _train_with(CORPUS, shared, tmp_path / "out")
    shipped = Path(resources.__file__).parent / "data"
    # Compare names, not the byte dicts: pytest's diff of two large byte dicts takes minutes.
    stale = sorted(name for name, data in rebuilt.items() if data != (shipped / name).read_bytes())
    assert stale == [], f"run `sitrep train`: {stale} differ from what the corpus trains"


def test_out_of_fold_logits_come_from_models_that_never_saw_the_theatre(small_corpus: Path) -> None:
    """The thresholds' extra evidence: each train theatre scored by a model fitted on the others."""
    items = [i for i in load(small_corpus, None) if i.split == "train"]
    settings = Settings(folds=2)
    train_rows = rows(items, settings)
    oof = out_of_fold(train_rows, settings.c, settings.folds)
    for theatre in ("sudan", "myanmar"):
        held = train_rows.theatres == theatre
        others = rows([i for i in items if i.theatre != theatre], settings)
        weights, bias = fit(others, settings.c)
        assert held.any() and np.allclose(oof[held], np.asarray(train_rows.x[held] @ weights) + bias)
    all_weights, all_bias = fit(train_rows, settings.c)
    fitted = np.asarray(train_rows.x @ all_weights) + all_bias
    assert not np.allclose(oof, fitted)  # not the logits of the model that saw every theatre
