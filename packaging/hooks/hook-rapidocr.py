"""RapidOCR (the OCR engine, ``desk_app.core.ingest.ocr``): its models and the YAML it reads by path.

Following imports finds rapidocr's code but none of its files, and it reads three kinds at run
time by a path beside its modules (``Path(__file__).parent``):

- ``config.yaml``: the defaults, read when the engine is built (``rapidocr/main.py``);
- ``default_models.yaml``: the model table, read when the engine is built
  (``inference_engine/base.py``, ``utils/model_resolver.py``);
- ``models/*.onnx``: the three PP-OCR models inside the wheel (detection, recognition, direction),
  which ``desk_app.core.ingest.ocr`` passes by path so RapidOCR never tries to download one.

``rapidocr/__init__`` imports ``.main`` lazily (module ``__getattr__``) and picks the inference engine
by name, so those two are named. The other engines (PyTorch, TensorRT, Paddle, OpenVINO, MNN) are
excluded in the spec; their packages are not installed, and rapidocr checks for them before it
imports their module. ``tests/system/test_frozen_build.py`` checks the files are here and the
frozen selftest reads a drawn letter line with them.
"""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("rapidocr", includes=["config.yaml", "default_models.yaml", "models/*.onnx"])
hiddenimports = ["rapidocr.main", "rapidocr.inference_engine.onnxruntime",
                 "rapidocr.inference_engine.onnxruntime.main"]
