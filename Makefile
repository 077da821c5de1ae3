# The two commands of the README: `make briefing` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DATE ?= 2022-12-21
BACKEND ?= auto
export HF_HUB_OFFLINE := 1

.PHONY: install llama briefing test lint bench bench-quality scoreboard clean

install: $(VENV)/.installed

# The llama backend's engine, llama-cpp-python, compiled here (about 6 CPU-minutes, 3-4 min
# on 2 idle cores, once: pip keeps the wheel). The package index has no binary wheel of it,
# and none of the prebuilt bindings there serves instead (bench/RESULTS.md, "A fast first
# install").
# GGML_NATIVE=OFF because a native build crashed on an AMX CPU; AVX2/FMA/F16C stay on,
# which every x86-64 CPU of the last decade has. LLAVA_BUILD=OFF skips the multimodal
# library (libmtmd), which the llama backend never loads.
LLAMA_CMAKE ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DLLAVA_BUILD=OFF
llama: $(VENV)/.llama

$(VENV)/.llama: $(VENV)/.installed
	CMAKE_ARGS="$(LLAMA_CMAKE)" $(BIN)/pip install --quiet -e '.[llama]'
	touch $@

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

briefing: install $(if $(filter llama,$(BACKEND)),llama)
	$(BIN)/briefing build corpus --date $(DATE) --out outputs --backend $(BACKEND)

test: install llama
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check briefing tests bench

# The scale benchmark (about 45 min on 2 cores; SIZES=100,1000 for a quick look).
SIZES ?= 100,1000,10000,100000
bench: install
	$(BIN)/python -m bench --sizes $(SIZES)

bench-quality: install
	$(BIN)/python bench/ecbplus.py

# The quality scoreboard (bench/scoreboard): every judgement beside its baseline, written to
# bench/SCOREBOARD.md. QUICK=1: the model on 12 events (<= 15 min); ONLY=grouping,truth ...
scoreboard: install $(if $(QUICK),,llama)
	$(BIN)/python -m bench.scoreboard $(if $(QUICK),--quick) $(if $(ONLY),--only $(ONLY))

clean:
	rm -rf $(VENV) outputs/*.md outputs/*.html outputs/*.json
