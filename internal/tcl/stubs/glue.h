/*
 * glue.h --
 *
 *	The C side of package stubs: Tcl is reached only through the stubs
 *	table, and every stubs entry that Go needs has a one-line wrapper
 *	here, because cgo cannot call through the table's function pointers.
 *	Tcl's pointers cross into Go as uintptr_t handles (package tcl keeps
 *	them in plain structs); the casts are all here. The channel type's
 *	procedures are trampolines into exported Go functions (exports.go).
 *
 *	The same source compiles against Tcl 8.6's and Tcl 9.0's headers.
 *	Lengths of strings, lists and raw channel reads and writes are
 *	Tcl_Size, as Tcl 9 declares them (int in Tcl 8.6, which has no such
 *	type); the lengths of the channel driver's input and output
 *	procedures are int in both.
 */

#ifndef TCLGO_GLUE_H
#define TCLGO_GLUE_H

#include <stdint.h>
#include <stdlib.h>
#include <tcl.h>

#if TCL_MAJOR_VERSION < 9 && !defined(TCL_SIZE_MAX)
typedef int Tcl_Size;
#endif

typedef uintptr_t H;	/* a Tcl_Interp *, Tcl_Obj *, Tcl_Channel, ... */

/* Set up the stubs table; returns NULL on success or an error message. */
const char *tclgo_InitStubs(H interp);

/* Interpreters and results. */
int tclgo_PkgProvide(H interp, const char *name, const char *version);
void tclgo_CreateObjCommand(H interp, const char *name, uintptr_t handle);
void tclgo_SetObjResult(H interp, H obj);
H tclgo_GetObjResult(H interp);
void tclgo_ResetResult(H interp);
int tclgo_EvalEx(H interp, const char *script, Tcl_Size len, int flags);
int tclgo_EvalObjEx(H interp, H obj, int flags);
void tclgo_SetObjErrorCode(H interp, H obj);
void tclgo_AddErrorInfo(H interp, const char *msg);
void tclgo_BackgroundException(H interp, int code);
void tclgo_Preserve(H p);
void tclgo_Release(H p);
int tclgo_InterpDeleted(H interp);
H tclgo_SaveInterpState(H interp, int status);
int tclgo_RestoreInterpState(H interp, H state);
H tclgo_GetVar(H interp, const char *name, int flags);
H tclgo_SetVar(H interp, const char *name, H value, int flags);

/* Objects. */
H tclgo_NewStringObj(const char *s, Tcl_Size len);
H tclgo_NewWideIntObj(Tcl_WideInt v);
H tclgo_NewByteArrayObj(const unsigned char *b, Tcl_Size len);
H tclgo_NewListObj(void);
int tclgo_ListAppend(H interp, H list, H elem);
int tclgo_ListElements(H interp, H list, Tcl_Size *objc, H **objv);
const char *tclgo_GetString(H obj, Tcl_Size *len);
unsigned char *tclgo_GetByteArray(H obj, Tcl_Size *len);
int tclgo_GetWideInt(H interp, H obj, Tcl_WideInt *v);
int tclgo_GetBoolean(H interp, H obj, int *v);
void tclgo_IncrRefCount(H obj);
void tclgo_DecrRefCount(H obj);

/* Channels. */
H tclgo_GetChannel(H interp, const char *name);
const char *tclgo_GetChannelName(H chan);
const char *tclgo_GetChannelTypeName(H chan);
int tclgo_InstanceHandle(H chan, uintptr_t *handle);
H tclgo_GetStackedChannel(H chan);
H tclgo_GetTopChannel(H chan);
H tclgo_StackChannel(H interp, uintptr_t handle, int mask, H below);
int tclgo_UnstackChannel(H interp, H chan);
Tcl_Size tclgo_ReadRaw(H chan, char *buf, Tcl_Size len, int *err);
Tcl_Size tclgo_WriteRaw(H chan, const char *buf, Tcl_Size len, int *err);
int tclgo_InputBuffered(H chan);
void tclgo_NotifyChannel(H chan, int mask);
int tclgo_GetChannelOption(H interp, H chan, const char *name, H *value);
int tclgo_SetChannelOption(H interp, H chan, const char *name, const char *value);
int tclgo_GetChannelMode(H chan);
void tclgo_SetChannelTypeName(const char *name);
void tclgo_SetChannelError(H chan, H options);

/* The driver procedures of a channel below us, called directly. */
void tclgo_DriverWatch(H chan, int mask);
int tclgo_DriverBlockMode(H chan, int mode);
int tclgo_DriverGetOption(H chan, H interp, const char *name, H ds);
int tclgo_DriverSetOption(H chan, H interp, const char *name, const char *value);
int tclgo_DriverGetHandle(H chan, int direction, uintptr_t *handle);
void tclgo_DriverThreadAction(H chan, int action);

/* The steady-state data path of one of our layers (glue.c). */
void tclgo_SetFastIO(H chan, uintptr_t table, uintptr_t stream);
uintptr_t tclgo_Below(H chan);
void tclgo_ArmTimer(H chan);
void tclgo_CancelTimer(H chan);
void tclgo_SetPlan(H chan, int fast, int drain, int upper, int pass,
	int report, int release);
uintptr_t tclgo_LayerOf(H chan);
void tclgo_LayerEnter(uintptr_t layer);
int tclgo_LayerLeave(uintptr_t layer);
int tclgo_LayerDepth(uintptr_t layer);
unsigned int tclgo_LayerEntries(uintptr_t layer);

/* Dynamic strings handed to a get-option procedure. */
void tclgo_DStringAppend(H ds, const char *s, Tcl_Size len);
void tclgo_DStringAppendElement(H ds, const char *s);

/* Timers. */
H tclgo_CreateTimer(int ms, uintptr_t handle);
void tclgo_DeleteTimer(H token);

/* Channel references held by the package, interpreter deletion notices. */
void tclgo_HoldChannel(H chan);
void tclgo_ReleaseChannel(H chan);
int tclgo_IsChannelShared(H chan);
void tclgo_CallWhenDeleted(H interp, uintptr_t handle);
void tclgo_DontCallWhenDeleted(H interp, uintptr_t handle);

/* Constants of tcl.h, for the test that package tcl agrees with them. */
int tclgo_Constant(int which);

#endif /* TCLGO_GLUE_H */
