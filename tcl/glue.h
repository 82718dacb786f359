/*
 * glue.h --
 *
 *	The C side of package tcl: Tcl is reached only through the stubs
 *	table, and every stubs entry that Go needs has a one-line wrapper
 *	here, because cgo cannot call through the table's function pointers.
 *	The channel type's procedures are trampolines into exported Go
 *	functions (exports.go).
 */

#ifndef TCLGO_GLUE_H
#define TCLGO_GLUE_H

#include <stdint.h>
#include <stdlib.h>
#include <tcl.h>

/* Set up the stubs table; returns NULL on success or an error message. */
const char *tclgo_InitStubs(Tcl_Interp *interp);

/* Interpreters and results. */
int tclgo_PkgProvide(Tcl_Interp *interp, const char *name, const char *version);
Tcl_Command tclgo_CreateObjCommand(Tcl_Interp *interp, const char *name, uintptr_t handle);
void tclgo_SetObjResult(Tcl_Interp *interp, Tcl_Obj *obj);
Tcl_Obj *tclgo_GetObjResult(Tcl_Interp *interp);
void tclgo_ResetResult(Tcl_Interp *interp);
int tclgo_EvalEx(Tcl_Interp *interp, const char *script, int len, int flags);
int tclgo_EvalObjEx(Tcl_Interp *interp, Tcl_Obj *obj, int flags);
void tclgo_SetObjErrorCode(Tcl_Interp *interp, Tcl_Obj *obj);
void tclgo_AddErrorInfo(Tcl_Interp *interp, const char *msg);
void tclgo_BackgroundException(Tcl_Interp *interp, int code);
void tclgo_Preserve(void *p);
void tclgo_Release(void *p);
int tclgo_InterpDeleted(Tcl_Interp *interp);
Tcl_InterpState tclgo_SaveInterpState(Tcl_Interp *interp, int status);
int tclgo_RestoreInterpState(Tcl_Interp *interp, Tcl_InterpState state);
Tcl_Obj *tclgo_GetVar(Tcl_Interp *interp, const char *name, int flags);
Tcl_Obj *tclgo_SetVar(Tcl_Interp *interp, const char *name, Tcl_Obj *value, int flags);

/* Objects. */
Tcl_Obj *tclgo_NewStringObj(const char *s, int len);
Tcl_Obj *tclgo_NewWideIntObj(Tcl_WideInt v);
Tcl_Obj *tclgo_NewByteArrayObj(const unsigned char *b, int len);
Tcl_Obj *tclgo_NewListObj(void);
int tclgo_ListAppend(Tcl_Interp *interp, Tcl_Obj *list, Tcl_Obj *elem);
int tclgo_ListElements(Tcl_Interp *interp, Tcl_Obj *list, int *objc, Tcl_Obj ***objv);
const char *tclgo_GetString(Tcl_Obj *obj, int *len);
unsigned char *tclgo_GetByteArray(Tcl_Obj *obj, int *len);
int tclgo_GetWideInt(Tcl_Interp *interp, Tcl_Obj *obj, Tcl_WideInt *v);
int tclgo_GetBoolean(Tcl_Interp *interp, Tcl_Obj *obj, int *v);
void tclgo_IncrRefCount(Tcl_Obj *obj);
void tclgo_DecrRefCount(Tcl_Obj *obj);
int tclgo_IsShared(Tcl_Obj *obj);
int tclgo_HasByteArrayType(Tcl_Obj *obj);

/* Channels. */
Tcl_Channel tclgo_GetChannel(Tcl_Interp *interp, const char *name, int *mode);
const char *tclgo_GetChannelName(Tcl_Channel chan);
const char *tclgo_GetChannelTypeName(Tcl_Channel chan);
int tclgo_IsOurChannel(Tcl_Channel chan);
uintptr_t tclgo_GetInstanceHandle(Tcl_Channel chan);
Tcl_Channel tclgo_GetStackedChannel(Tcl_Channel chan);
Tcl_Channel tclgo_GetTopChannel(Tcl_Channel chan);
Tcl_Channel tclgo_StackChannel(Tcl_Interp *interp, uintptr_t handle, int mask, Tcl_Channel below);
int tclgo_UnstackChannel(Tcl_Interp *interp, Tcl_Channel chan);
int tclgo_ReadRaw(Tcl_Channel chan, char *buf, int len, int *err);
int tclgo_WriteRaw(Tcl_Channel chan, const char *buf, int len, int *err);
int tclgo_InputBuffered(Tcl_Channel chan);
void tclgo_NotifyChannel(Tcl_Channel chan, int mask);
int tclgo_GetChannelOption(Tcl_Interp *interp, Tcl_Channel chan, const char *name, Tcl_Obj **value);
int tclgo_SetChannelOption(Tcl_Interp *interp, Tcl_Channel chan, const char *name, const char *value);
int tclgo_GetChannelMode(Tcl_Channel chan);
void tclgo_RegisterChannel(Tcl_Interp *interp, Tcl_Channel chan);
void tclgo_CutChannel(Tcl_Channel chan);
void tclgo_SpliceChannel(Tcl_Channel chan);
int tclgo_BadChannelOption(Tcl_Interp *interp, const char *name, const char *options);

/* The driver procedures of a channel below us, called directly. */
void tclgo_DriverWatch(Tcl_Channel chan, int mask);
int tclgo_DriverBlockMode(Tcl_Channel chan, int mode);
int tclgo_DriverGetOption(Tcl_Channel chan, Tcl_Interp *interp, const char *name, Tcl_DString *ds);
int tclgo_DriverSetOption(Tcl_Channel chan, Tcl_Interp *interp, const char *name, const char *value);
int tclgo_DriverGetHandle(Tcl_Channel chan, int direction, ClientData *handle);
void tclgo_DriverThreadAction(Tcl_Channel chan, int action);

/* Dynamic strings handed to a get-option procedure. */
void tclgo_DStringAppend(Tcl_DString *ds, const char *s, int len);
void tclgo_DStringAppendElement(Tcl_DString *ds, const char *s);

/* Timers. */
Tcl_TimerToken tclgo_CreateTimer(int ms, uintptr_t handle);
void tclgo_DeleteTimer(Tcl_TimerToken token);

/* Errno. */
int tclgo_GetErrno(void);
void tclgo_SetErrno(int err);

/* The name of our one channel type. */
void tclgo_SetChannelTypeName(const char *name);



/* A message for the next read, write or flush error on a channel. */
void tclgo_SetChannelError(Tcl_Channel chan, const char *msg, int len);

/* Channel references held by the package (hold.go). */
void tclgo_HoldChannel(Tcl_Channel chan);
void tclgo_ReleaseChannel(Tcl_Channel chan);
int tclgo_IsChannelShared(Tcl_Channel chan);
void tclgo_CallWhenDeleted(Tcl_Interp *interp, uintptr_t handle);
void tclgo_DontCallWhenDeleted(Tcl_Interp *interp, uintptr_t handle);
#endif /* TCLGO_GLUE_H */
