/*
 * The expert tap's node filter, in C.
 *
 * llama.cpp's scheduler calls the eval callback once for every graph node (about 50 per layer), and
 * a Python callback there costs about a microsecond each: 15 % of the speed of a small MoE model.
 * This filter does the per-node work in C -- recognise the routing tensors of each MoE layer by
 * name and ask the scheduler for one node per layer -- and calls Python (a ctypes function given to
 * tap_new) only once per MoE layer and micro-batch, when that layer's routing is ready to be read.
 * With scores wanted (a second Python function given to tap_new), it also asks for each layer's
 * router probabilities, ffn_moe_probs-<layer>, and hands them to that function as soon as they are
 * computed: their memory is free for later nodes once the top-k and the gate weights are taken from
 * them, so they cannot wait for the layer's trigger. The rules are described in routing_tap.py.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LAYERS 1024

typedef const char *(*get_name_fn)(const void *tensor);
typedef void (*layer_ready_fn)(int layer, const void *topk, const void *weights);
typedef void (*probs_ready_fn)(int layer, const void *probs);

typedef struct {
    get_name_fn get_name;
    layer_ready_fn layer_ready;
    probs_ready_fn probs_ready; /* NULL: no scores wanted */
    const void *topk[MAX_LAYERS];
    const void *weights[MAX_LAYERS];
    const void *trigger[MAX_LAYERS];
} tap_state;

static bool base_is(const char *base, size_t len, const char *word) {
    return strlen(word) == len && memcmp(base, word, len) == 0;
}

static bool is_weights(const char *base, size_t len) {
    return base_is(base, len, "weights") || base_is(base, len, "weights_softmax") ||
           base_is(base, len, "weights_norm") || base_is(base, len, "weights_scaled");
}

static bool is_after_routing(const char *base, size_t len) {
    return base_is(base, len, "up") || base_is(base, len, "gate") || base_is(base, len, "gate_up") ||
           base_is(base, len, "weighted");
}

/* "ffn_moe_<base>-<layer>" -> base, its length and the layer; false for any other name. */
static bool parse_name(const char *name, const char **base, size_t *len, int *layer) {
    if (name == NULL || strncmp(name, "ffn_moe_", 8) != 0) {
        return false;
    }
    const char *dash = strrchr(name, '-');
    if (dash == NULL || dash[1] == '\0') {
        return false;
    }
    int value = 0;
    for (const char *p = dash + 1; *p; p++) {
        if (*p < '0' || *p > '9' || value > MAX_LAYERS) {
            return false;
        }
        value = value * 10 + (*p - '0');
    }
    if (value >= MAX_LAYERS) {
        return false;
    }
    *base = name + 8;
    *len = (size_t)(dash - *base);
    *layer = value;
    return true;
}

static bool tap_eval(const void *tensor, bool ask, void *user_data) {
    tap_state *state = (tap_state *)user_data;
    const char *base;
    size_t len;
    int layer;
    if (!parse_name(state->get_name(tensor), &base, &len, &layer)) {
        return !ask; /* never stop a graph in the data call */
    }
    bool probs = state->probs_ready != NULL && base_is(base, len, "probs");
    if (!ask) {
        if (probs) {
            state->probs_ready(layer, tensor);
        } else if (state->trigger[layer] == tensor && state->topk[layer] && state->weights[layer]) {
            state->layer_ready(layer, state->topk[layer], state->weights[layer]);
        }
        return true;
    }
    if (probs) {
        return true;
    }
    if (base_is(base, len, "topk")) {
        state->topk[layer] = tensor;
    } else if (is_weights(base, len)) {
        state->weights[layer] = tensor;
    } else if (is_after_routing(base, len) && state->weights[layer] && !state->trigger[layer]) {
        state->trigger[layer] = tensor;
        return true;
    }
    return false;
}

static PyObject *py_tap_new(PyObject *self, PyObject *args) {
    unsigned long long get_name, layer_ready, probs_ready = 0;
    if (!PyArg_ParseTuple(args, "KK|K", &get_name, &layer_ready, &probs_ready)) {
        return NULL;
    }
    tap_state *state = calloc(1, sizeof(tap_state));
    if (state == NULL) {
        return PyErr_NoMemory();
    }
    state->get_name = (get_name_fn)(uintptr_t)get_name;
    state->layer_ready = (layer_ready_fn)(uintptr_t)layer_ready;
    state->probs_ready = (probs_ready_fn)(uintptr_t)probs_ready;
    return PyLong_FromVoidPtr(state);
}

static PyObject *py_tap_reset(PyObject *self, PyObject *arg) {
    tap_state *state = (tap_state *)PyLong_AsVoidPtr(arg);
    if (state == NULL) {
        return PyErr_Occurred() ? NULL : (PyErr_SetString(PyExc_ValueError, "null tap"), NULL);
    }
    memset(state->topk, 0, sizeof(state->topk));
    memset(state->weights, 0, sizeof(state->weights));
    memset(state->trigger, 0, sizeof(state->trigger));
    Py_RETURN_NONE;
}

static PyObject *py_tap_free(PyObject *self, PyObject *arg) {
    void *state = PyLong_AsVoidPtr(arg);
    if (PyErr_Occurred()) {
        return NULL;
    }
    free(state);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"tap_new", py_tap_new, METH_VARARGS, "tap_new(get_name_address, layer_ready_address[, probs_ready_address]) -> state address"},
    {"tap_reset", py_tap_reset, METH_O, "tap_reset(state): forget the previous micro-batch's tensors"},
    {"tap_free", py_tap_free, METH_O, "tap_free(state)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_tapfilter", NULL, -1, methods};

PyMODINIT_FUNC PyInit__tapfilter(void) {
    PyObject *m = PyModule_Create(&module);
    if (m != NULL && PyModule_AddObject(m, "EVAL_CALLBACK", PyLong_FromVoidPtr((void *)tap_eval)) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
