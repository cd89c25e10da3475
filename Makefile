# zoneanalysis: the two commands an economist needs are `make report` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PERIOD ?=
SCOPE ?=

.PHONY: help setup report test test-slow lint format lab bench sample clean-outputs

help: ## 列出可用命令 (list the targets)
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements/constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name zoneanalysis --display-name "zoneanalysis (Python 3)" >/dev/null
	@touch $(STAMP)

setup: $(STAMP) ## 创建 .venv 并安装（固定版本）(create .venv, install pinned versions)

report: $(STAMP) ## 清洗示例数据、预测、排名并生成报告；可选 PERIOD=2016-06 SCOPE=province (clean → project → rank → report)
	$(BIN)/zoneanalysis run $(if $(PERIOD),--period $(PERIOD),) $(if $(SCOPE),--scope $(SCOPE),)

test: $(STAMP) ## 运行测试（不含标为 slow 的笔记本、浏览器和整批测试）(the fast suite)
	$(BIN)/python -m pytest -m "not slow"

test-slow: $(STAMP) ## 运行标为 slow 的测试：笔记本、浏览器、整批报告 (notebooks, browser, whole batches)
	$(BIN)/python -m pytest -m slow

lint: $(STAMP) ## ruff 检查与格式检查 (lint and format check)
	$(BIN)/ruff check zoneanalysis tests bench scripts
	$(BIN)/ruff format --check zoneanalysis tests bench scripts

format: $(STAMP) ## 自动格式化 (format the code)
	$(BIN)/ruff format zoneanalysis tests bench scripts
	$(BIN)/ruff check --fix zoneanalysis tests bench scripts

lab: $(STAMP) ## 打开 JupyterLab（项目内核）(open JupyterLab with the project's kernel)
	$(BIN)/jupyter lab notebooks/

sample: $(STAMP) ## 重新生成示例数据 (regenerate the sample data in data/raw)
	$(BIN)/python scripts/make_sample_data.py

bench: $(STAMP) ## 运行性能基准 (run the benchmarks)
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean-outputs: ## 删除生成的数据与报告 (remove generated data and reports)
	rm -rf data/processed reports
