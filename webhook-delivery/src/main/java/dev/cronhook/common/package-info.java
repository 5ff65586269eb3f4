/**
 * What every module shares and nothing else: the domain errors the API maps to problem replies, the field errors they
 * carry, and a page of a list. It depends on no module of Cronhook.
 */
package dev.cronhook.common;
